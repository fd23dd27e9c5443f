using System.Net;
using System.Text.Json;
using Edge.Web.Tests.TestKit;

namespace Edge.Web.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_is_the_watchdogs_log_check_and_readyz_adds_sensors_and_broker()
    {
        using var gateway = new WebGateway();
        await gateway.WaitUntilServing();
        using var http = new HttpClient { BaseAddress = gateway.Address };

        var live = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var liveDoc = JsonDocument.Parse(await live.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", liveDoc.RootElement.GetProperty("status").GetString());
        Assert.Equal(["log"], liveDoc.RootElement.GetProperty("checks").EnumerateObject().Select(p => p.Name));

        var ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var readyDoc = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        var checks = readyDoc.RootElement.GetProperty("checks");
        Assert.Equal(["broker", "log", "sensors"], checks.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("11 sensors sampling", checks.GetProperty("sensors").GetProperty("description").GetString());
        Assert.Equal($"embedded broker listening on 127.0.0.1:{gateway.BrokerPort}", checks.GetProperty("broker").GetProperty("description").GetString());
    }
}
