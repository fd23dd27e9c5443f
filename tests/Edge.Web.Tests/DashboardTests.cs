using System.Text;
using Edge.Local.Broker;
using Edge.Web.Tests.TestKit;
using MQTTnet;
using MQTTnet.Protocol;
using OpenQA.Selenium;

namespace Edge.Web.Tests;

/// <summary>The dashboard in a real headless Chromium against the real gateway with its simulated sensors.</summary>
public sealed class DashboardTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    // The dashboard open in a new headless Chromium, connected to the gateway's MQTT over WebSocket.
    private static Browser OpenOnline(WebGateway gateway)
    {
        var browser = new Browser();
        browser.Driver.Navigate().GoToUrl(gateway.Address);
        browser.WaitUntil(() => browser.Js("return window.edge.online()") is true, Soon, "page online");
        return browser;
    }

    [Fact]
    public async Task Page_lists_the_simulated_sensors_and_plots_heart_rate_within_seconds()
    {
        using var gateway = new WebGateway();
        await gateway.WaitUntilServing();
        using var browser = new Browser();
        browser.Driver.Navigate().GoToUrl(gateway.Address);

        browser.WaitUntil(() => browser.Driver.FindElements(By.CssSelector("#sensors tr[data-sensor='spo2-bed1']")).Count == 1, Soon, "spo2-bed1 listed");
        browser.WaitUntil(() => Convert.ToInt64(browser.Js("return window.edge.points('plot-vitals')")) >= 5, Soon, "heart-rate plot has points");
        // uPlot draws on the page's next tick (4 per second): a canvas inside the vitals plot, its legend naming the pulse oximeter.
        var vitals = browser.Driver.FindElement(By.Id("plot-vitals"));
        browser.WaitUntil(() => vitals.FindElements(By.TagName("canvas")).Count > 0 && vitals.Text.Contains("spo2-bed1 bpm", StringComparison.Ordinal), Soon, "heart-rate plot drawn");
        browser.WaitUntil(() => browser.Driver.FindElement(By.CssSelector("#sensors tr[data-sensor='temp-bed1'] td:nth-child(3)")).Text == "ok", Soon, "temp-bed1 state ok");
        Assert.True(browser.Driver.FindElement(By.Id("banner")).GetAttribute("hidden") is not null, "no banner while the gateway is up");
        browser.Screenshot("dashboard");
    }

    [Fact]
    public async Task A_reading_ingested_over_MQTT_appears_live_on_the_page()
    {
        using var gateway = new WebGateway();
        await gateway.WaitUntilServing();
        using var browser = OpenOnline(gateway);
        browser.WaitUntil(() => Convert.ToInt64(browser.Js("return window.edge.points('plot-vitals')")) > 0, Soon, "live readings flowing");

        using var node = await gateway.ConnectNodeAsync("node-7");
        string reading = $$"""{"sensor":"node-7","kind":"health.heart_rate","ts":"{{DateTime.UtcNow:O}}","seq":0,"quality":"ok","values":[{"name":"bpm","value":123,"unit":"/min"}]}""";
        var ack = await gateway.IngestAsync(node, "node-7", reading);
        Assert.True(ack.IsSuccess, ack.ReasonString);

        browser.WaitUntil(() => browser.Driver.FindElement(By.CssSelector("#sensors tr[data-sensor='node-7']")).Text.Contains("bpm 123 /min", StringComparison.Ordinal), Soon, "node-7 listed with its value");
        browser.WaitUntil(() => browser.Driver.FindElement(By.Id("plot-vitals")).Text.Contains("node-7 bpm", StringComparison.Ordinal), Soon, "node-7 series plotted");
        browser.Screenshot("ingested-reading");
    }

    [Fact]
    public async Task Looking_back_an_hour_plots_every_buffered_reading_of_a_sensor_from_paged_columns()
    {
        // Ingest unthrottled for the fill; small column pages, so the look-back follows several cursors.
        using var gateway = new WebGateway("--Ingest:ReadingsPerSecond=100000", "--Ingest:Burst=100000", "--Query:MaxColumnsLimit=2000");
        await gateway.WaitUntilServing();
        using var node = await gateway.ConnectNodeAsync("node-9");
        // 7,000 heart-rate readings of node-9 four a second, the last a minute ago: in the last hour, before the page opens.
        const int count = 7000;
        var first = DateTimeOffset.UtcNow.AddMinutes(-1).AddMilliseconds(-250.0 * (count - 1));
        for (int batch = 0; batch < count; batch += 500)
        {
            var acks = Enumerable.Range(batch, Math.Min(500, count - batch)).Select(i =>
            {
                string reading = $$"""{"sensor":"node-9","kind":"health.heart_rate","ts":"{{first.AddMilliseconds(250.0 * i).UtcDateTime:O}}","seq":{{i}},"quality":"ok","values":[{"name":"bpm","value":{{60 + i % 50}},"unit":"/min"}]}""";
                return gateway.IngestAsync(node, "node-9", reading);
            }).ToList();
            foreach (var ack in await Task.WhenAll(acks)) Assert.True(ack.IsSuccess, ack.ReasonString);
        }

        using var browser = new Browser();
        browser.Driver.Navigate().GoToUrl(gateway.Address);
        browser.WaitUntil(() => browser.Driver.FindElements(By.CssSelector("#sensors tr[data-sensor='node-9']")).Count == 1, Soon, "node-9 listed");
        browser.Driver.FindElement(By.CssSelector("#lookback option[value='3600']")).Click(); // as a person picks "1 h"
        browser.WaitUntil(() => browser.Js("return window.edge.lastLookBack && window.edge.lastLookBack.seconds") is 3600L, TimeSpan.FromSeconds(60), "the look-back finished");

        // The vitals plot holds node-9's whole hour, in time order, with the values that were stored.
        var series = (IReadOnlyCollection<object>)browser.Js("""
            const p = window.edge.plots.get('plot-vitals'); const j = p.keys.indexOf('node-9 bpm');
            const rows = []; for (let i = 0; i < p.x.length; i++) if (p.cols[j][i] != null) rows.push([Math.round(p.x[i] * 1000), p.cols[j][i]]);
            return rows;
            """)!;
        var plotted = series.Cast<IReadOnlyCollection<object>>().Select(r => r.Select(Convert.ToInt64).ToArray()).ToList();
        Assert.Equal(count, plotted.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => new[] { first.AddMilliseconds(250.0 * i).ToUnixTimeMilliseconds(), 60L + i % 50 }), plotted);
        browser.WaitUntil(() => browser.Driver.FindElement(By.Id("loading")).Text.Contains("readings in", StringComparison.Ordinal), Soon, "the page says what it loaded");
        browser.Screenshot("look-back-1h");
    }

    [Fact]
    public async Task A_stream_rule_alert_shows_raised_at_the_top_of_the_page_and_then_cleared()
    {
        using var gateway = new WebGateway();
        await gateway.WaitUntilServing();
        using var browser = OpenOnline(gateway);
        browser.WaitUntil(() => browser.Driver.FindElement(By.Id("gateway")).Text == gateway.GatewayId, Soon, "status received");
        Assert.False(browser.Driver.FindElement(By.Id("alerts-pill")).Displayed, "no alert before any");

        using var node = await gateway.ConnectNodeAsync("node-spo2");
        // SpO2 86 % held for 35 s of event time: the shipped rule spo2-low (spo2 < 90 for 30 s) raises at the 31st reading.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds());
        async Task Send(int from, int to, double spo2)
        {
            for (int i = from; i < to; i++)
            {
                string reading = $$"""{"sensor":"node-spo2","kind":"health.spo2","ts":"{{start.AddSeconds(i).UtcDateTime:O}}","seq":{{i}},"quality":"ok","values":[{"name":"spo2","value":{{spo2}},"unit":"%"}]}""";
                var ack = await gateway.IngestAsync(node, "node-spo2", reading);
                Assert.True(ack.IsSuccess, ack.ReasonString);
            }
        }
        await Send(0, 35, 86);

        var pill = browser.Driver.FindElement(By.Id("alerts-pill"));
        browser.WaitUntil(() => pill.Displayed && pill.Text == "1 alert raised", Soon, "the header says an alert is raised");
        var row = browser.Driver.FindElement(By.CssSelector("#alerts tr[data-alert='spo2-low/node-spo2']"));
        Assert.Contains("raised", row.Text, StringComparison.Ordinal);
        Assert.Contains("spo2 86 %", row.Text, StringComparison.Ordinal);
        Assert.Contains("raised", row.GetAttribute("class"), StringComparison.Ordinal);
        browser.Screenshot("alert-raised");

        // Back to 97 %: spo2 >= 92 clears it.
        await Send(35, 45, 97);
        browser.WaitUntil(() => !pill.Displayed && browser.Driver.FindElement(By.CssSelector("#alerts tr[data-alert='spo2-low/node-spo2'] td:nth-child(3)")).Text == "cleared",
            Soon, "the alert cleared");
    }

    [Fact]
    public async Task Offline_banner_shows_while_the_gateway_is_down_and_the_page_reconnects_when_it_is_back()
    {
        using var gateway = new WebGateway();
        await gateway.WaitUntilServing();
        using var browser = OpenOnline(gateway);
        browser.WaitUntil(() => browser.Driver.FindElement(By.Id("gateway")).Text == gateway.GatewayId, Soon, "status received");

        await gateway.Kill();
        var banner = browser.Driver.FindElement(By.Id("banner"));
        browser.WaitUntil(() => banner.Displayed && banner.Text.Contains("unreachable", StringComparison.Ordinal), Soon, "offline banner");
        browser.Screenshot("offline-banner");

        gateway.Restart();
        await gateway.WaitUntilServing();
        browser.WaitUntil(() => browser.Js("return window.edge.online()") is true && !banner.Displayed, TimeSpan.FromSeconds(60), "reconnected without a reload");
    }

    [Fact]
    public async Task A_wrong_password_says_so_and_the_right_one_logs_in()
    {
        // Loopback clients get the sensor role here, so the page must log in as if it came from the network.
        using var gateway = new WebGateway("--Broker:LoopbackRole=Sensor", "--Broker:Users:viewer:Role=Reader", $"--Broker:Users:viewer:PasswordHash={PasswordHash.Create("right-one")}");
        await gateway.WaitUntilServing();
        using var browser = new Browser();
        // The page itself needs HTTP Basic as a reader (the browser's own prompt, which headless Chromium cannot show).
        browser.Driver.ExecuteCdpCommand("Network.enable", new Dictionary<string, object?>());
        browser.Driver.ExecuteCdpCommand("Network.setExtraHTTPHeaders", new Dictionary<string, object?>
        {
            ["headers"] = new Dictionary<string, object> { ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("viewer:right-one")) },
        });
        browser.Driver.Navigate().GoToUrl(gateway.Address);

        var login = browser.Driver.FindElement(By.Id("login"));
        browser.WaitUntil(() => login.Displayed, Soon, "login form for an anonymous sensor-role session");
        browser.Driver.FindElement(By.Id("user")).SendKeys("viewer");
        browser.Driver.FindElement(By.Id("password")).SendKeys("wrong");
        login.Submit();
        browser.WaitUntil(() => browser.Driver.FindElement(By.Id("login-message")).Text == "Wrong user name or password.", Soon, "wrong password message");
        browser.Screenshot("wrong-password");

        browser.Driver.FindElement(By.Id("password")).Clear();
        browser.Driver.FindElement(By.Id("password")).SendKeys("right-one");
        login.Submit();
        browser.WaitUntil(() => browser.Js("return window.edge.online()") is true && !login.Displayed, Soon, "logged in");
        browser.WaitUntil(() => Convert.ToInt64(browser.Js("return window.edge.points('plot-vitals')")) > 0, Soon, "readings for the reader");
    }
}
