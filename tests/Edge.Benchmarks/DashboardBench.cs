using System.Diagnostics;
using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Benchmarks;

/// <summary>
/// dashboard: what the web dashboard costs the gateway, and how fast the page draws a day of history.
/// <para>Footprint cases (the Release gateway with its default simulated sensors, buffer-only, as <c>footprint</c>):
/// <c>off</c> (Web:Port 0), <c>idle</c> (web server on, nobody looking) and <c>browser</c> (one headless Chromium with
/// the page open, live plots scrolling): CPU of the gateway process in cores over --seconds (default 60) after
/// --warmup (default 15), VmRSS at the end and VmHWM. The dashboard's cost is <c>browser</c> minus <c>off</c>.</para>
/// <para>Look-back cases: a gateway with its sensors disabled is given --readings (default 345,600: 24 h) of one 4 Hz
/// heart-rate sensor, ingested over MQTT with timestamps from 24 h ago at 250 ms steps, then the page's "24 h" look-back fetches them with
/// paged range queries and draws them; the row's seconds are the page's own measure (first query to drawn plot).
/// <c>lookback</c> uses the shipped Query settings: the page reads the columns form of <c>range</c> (QUERY.md), pages of
/// Query:MaxColumnsLimit 10,000 readings, within Query:QueriesPerSecond 50.</para>
/// </summary>
internal static class DashboardBench
{
    private const int Day = 24 * 3600 * 4;

    public static async Task<List<Result>> RunAsync(BenchOptions opt)
    {
        var results = new List<Result>();
        foreach (string c in new[] { "off", "idle", "browser" })
            if (opt.Cases.Length == 0 || opt.Cases.Contains(c)) results.Add(await FootprintAsync(opt, c));
        if (opt.Cases.Length == 0 || opt.Cases.Contains("lookback")) results.Add(await LookBackAsync(opt, "lookback", []));
        return results;
    }

    private static async Task<Result> FootprintAsync(BenchOptions opt, string name)
    {
        double seconds = opt.Seconds == BenchOptions.DefaultSeconds ? 60 : opt.Seconds;
        double warmup = opt.Warmup == BenchOptions.DefaultWarmup ? 15 : opt.Warmup;
        int web = FreePort.Get();
        using var gateway = Start(opt, LogAppend.Fresh(opt.Dir, $"dashboard-{name}"), [$"--Web:Port={(name == "off" ? 0 : web)}"], opt.Env);
        using var browser = name == "browser" ? new Browser() : null;
        if (browser is not null)
        {
            await gateway.WaitForLine(l => l.Contains("dashboard: open", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            browser.Driver.Navigate().GoToUrl($"http://127.0.0.1:{web}/");
            browser.WaitUntil(() => browser.Js("return window.edge.online()") is true, TimeSpan.FromSeconds(60), "page online");
        }
        await Task.Delay(TimeSpan.FromSeconds(warmup)); // a benchmark's settle time, not a test's wait
        var before = ThreadCpu.Read(gateway.Pid);
        var sw = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var after = ThreadCpu.Read(gateway.Pid);
        double secs = sw.Elapsed.TotalSeconds, cores = (after.Total - before.Total) / ThreadCpu.TicksPerSecond / secs;
        double rss = BenchBroker.StatusMiB("VmRSS", gateway.Pid), hwm = BenchBroker.StatusMiB("VmHWM", gateway.Pid);
        long points = browser is null ? 0 : Convert.ToInt64(browser.Js("return window.edge.points('plot-vitals')"), CultureInfo.InvariantCulture);
        if (browser is not null && points == 0) throw new InvalidOperationException("the page plotted nothing: " + browser.Console());
        return new Result
        {
            name = $"dashboard-{name}", run = opt.Run, unit = "seconds", seconds = secs, cpu_cores = cores, peak_rss_mb = hwm,
            durability = name switch { "off" => "Web:Port 0", "idle" => "web server on, no client", _ => "one headless Chromium with the dashboard open" },
            note = FormattableString.Invariant($"{GatewayProgram.Describe(opt)}, default simulated sensors, buffer-only; {seconds:F0} s after {warmup:F0} s warm-up; gateway process {cores * 100:F2} % of one core; RSS {rss:F1} MiB (peak {hwm:F1}){(browser is null ? "" : $"; {points} points in the vitals plot")}"),
        };
    }

    private static async Task<Result> LookBackAsync(BenchOptions opt, string name, string[] args)
    {
        var sensors = new[] { "mag-lane1", "loop-lane1", "tof-lane1", "tof-lane1-long", "sonar-lane1", "pir-lane1", "spo2-bed1", "temp-bed1", "fall-bed1", "pulse-bed1", "env-1" };
        int broker = FreePort.Get(), web = FreePort.Get();
        using var gateway = Start(opt, LogAppend.Fresh(opt.Dir, $"dashboard-{name}"),
            [$"--Broker:Port={broker}", $"--Web:Port={web}", "--Ingest:ReadingsPerSecond=1000000", "--Ingest:Burst=1000000",
            // Group commits every 5 ms while the day is loaded (the shipped health topic waits up to 10 s to batch).
            "--Log:Topics:health:FlushMaxIntervalMs=5", .. sensors.Select(s => $"--Sensors:{s}:Enabled=false"), .. args], opt.Env);
        await gateway.WaitForLine(l => l.Contains("dashboard: open", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var ingest = Stopwatch.StartNew();
        int readings = opt.Readings > 0 ? (int)opt.Readings : Day;
        await IngestDayAsync(broker, readings);
        Console.Error.WriteLine($"{name}: {readings:N0} readings ingested in {ingest.Elapsed.TotalSeconds:F1} s");

        using var browser = new Browser();
        browser.Driver.Navigate().GoToUrl($"http://127.0.0.1:{web}/");
        browser.WaitUntil(() => browser.Js("return window.edge.sensors.get('hr-bench')?.kind") is "health.heart_rate", TimeSpan.FromSeconds(60), "hr-bench listed");
        browser.Driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromMinutes(5);
        var wall = Stopwatch.StartNew();
        var r = browser.Driver.ExecuteAsyncScript("const done = arguments[arguments.length - 1]; window.edge.lookBack(86400).then(done, e => done({ error: String(e) }));") as IDictionary<string, object> ?? throw new InvalidOperationException("look-back returned nothing");
        double wallSeconds = wall.Elapsed.TotalSeconds;
        if (r.TryGetValue("error", out var error)) throw new InvalidOperationException($"look-back failed: {error}");
        long fetched = Convert.ToInt64(r["readings"], CultureInfo.InvariantCulture);
        double ms = Convert.ToDouble(r["ms"], CultureInfo.InvariantCulture);
        long points = Convert.ToInt64(browser.Js("return window.edge.points('plot-vitals')"), CultureInfo.InvariantCulture);
        browser.Screenshot($"bench-{name}");
        return new Result
        {
            name = $"dashboard-{name}", run = opt.Run, unit = "readings", records = fetched, seconds = ms / 1000, rec_per_s = fetched / (ms / 1000),
            durability = args.Length == 0 ? "shipped Query settings" : string.Join(' ', args),
            note = FormattableString.Invariant($"{readings * 0.25 / 3600:F2} h of one 4 Hz sensor ({readings:N0} readings; 24 h is {Day:N0}, --readings) fetched by the page's paged range queries over MQTT/WebSocket and drawn by uPlot in headless Chromium: {ms / 1000:F2} s by the page's clock ({wallSeconds:F2} s WebDriver round trip); {points:N0} points plotted"),
        };
    }

    // One node, QoS 1, 500 readings in flight (QUERY.md "Many readings in flight"): appended as they arrive, each
    // PUBACK once durable, so the in-flight window shares group commits. The day is in the log when the last returns.
    private static async Task IngestDayAsync(int port, int readings)
    {
        const int window = 500;
        var start = DateTime.UtcNow.AddDays(-1);
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench-node").WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        for (int first = 0; first < readings; first += window)
        {
            var acks = Enumerable.Range(first, Math.Min(window, readings - first)).Select(n =>
            {
                var ts = start.AddMilliseconds(250.0 * n).ToString("O", CultureInfo.InvariantCulture);
                double bpm = 70 + 8 * Math.Sin(n / 2400.0) + (n % 7) * 0.3;
                string json = FormattableString.Invariant($$"""{"sensor":"hr-bench","kind":"health.heart_rate","ts":"{{ts}}","seq":{{n}},"quality":"ok","values":[{"name":"bpm","value":{{bpm:F1}},"unit":"/min"}]}""");
                return client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("edge/bench/ingest/hr-bench").WithPayload(Encoding.UTF8.GetBytes(json))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            }).ToList();
            foreach (var ack in await Task.WhenAll(acks))
                if (!ack.IsSuccess) throw new InvalidOperationException($"ingest refused: {ack.ReasonCode} {ack.ReasonString}");
        }
    }

    private static ChildProcess Start(BenchOptions opt, string logDir, string[] args, IReadOnlyDictionary<string, string> env)
    {
        var start = GatewayProgram.StartInfo(opt);
        start.ArgumentList.Add($"--Log:Directory={logDir}");
        start.ArgumentList.Add("--Gateway:Id=bench");
        if (!args.Any(a => a.StartsWith("--Broker:Port=", StringComparison.Ordinal))) start.ArgumentList.Add($"--Broker:Port={FreePort.Get()}");
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        DeployedEnvironment.Apply(start, env);
        return new ChildProcess(start);
    }
}
