using System.Threading.Channels;
using Edge.Deploy.Tests.TestKit;
using Edge.Gateway.Services;
using Edge.Log;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Deploy.Tests;

/// <summary>The watchdog pings only while the log makes progress, so systemd restarts a gateway that stopped storing readings.</summary>
public class SystemdWatchdogTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Pings_stop_for_each_period_in_which_appends_only_failed_and_resume_when_one_succeeds()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(new LogOptions { Directory = dir["log"] });
        log.CreateTopic(new TopicConfig("traffic"));
        var counters = new GatewayCounters();
        var events = Channel.CreateUnbounded<string>(); // pings and error lines, in the order the watchdog made them
        var time = new FakeTimeProvider();
        using var watchdog = new SystemdWatchdog(new RecordingNotifier(events.Writer), log, counters, time, new SignalLogger<SystemdWatchdog>(events.Writer))
        {
            Period = Period,
        };
        await watchdog.StartAsync(CancellationToken.None);
        Assert.Equal("WATCHDOG=1", await Next(events));

        counters.AddFailed(3); // the log refuses appends during the next period ...
        time.Advance(Period);
        Assert.Equal("error: systemd watchdog: not pinging: 3 appends failed and none succeeded in the last 15000 ms", await Next(events));
        counters.AddFailed(2); // ... and the one after
        time.Advance(Period);
        Assert.StartsWith("error: systemd watchdog: not pinging: 2 appends failed", await Next(events));

        counters.AddFailed(1);
        counters.AddAppended(1); // one append got through: the pipeline moves
        time.Advance(Period);
        Assert.Equal("WATCHDOG=1", await Next(events));
        time.Advance(Period); // nothing appended or failed (no sensor due): the log still flushes, so healthy
        Assert.Equal("WATCHDOG=1", await Next(events));
        await watchdog.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("2000000", null, 1000.0)]
    [InlineData("2000000", "4242", 1000.0)]
    [InlineData("2000000", "1", null)]
    [InlineData("0", null, null)]
    [InlineData("soon", null, null)]
    public void The_period_is_half_of_WATCHDOG_USEC_for_the_process_it_names(string? usec, string? pid, double? expectedMs) =>
        Assert.Equal(expectedMs, SystemdWatchdog.FromVariables(usec, pid, processId: 4242)?.TotalMilliseconds);

    private static async Task<string> Next(Channel<string> events)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await events.Reader.ReadAsync(cts.Token);
    }
}
