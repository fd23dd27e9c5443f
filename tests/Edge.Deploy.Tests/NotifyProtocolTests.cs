using System.Text.RegularExpressions;
using Edge.Deploy.Tests.TestKit;
using Edge.Log;

namespace Edge.Deploy.Tests;

/// <summary>The gateway speaks sd_notify(3) to a real datagram socket, as it does to systemd under Type=notify.</summary>
public partial class NotifyProtocolTests
{
    [Fact]
    public async Task Ready_then_watchdog_pings_then_stopping_on_SIGTERM_and_a_clean_exit_with_the_log_flushed()
    {
        using var dir = new TempDir();
        using var notify = new NotifySocket(dir["notify.sock"]);
        string logDir = dir["log"];
        var env = new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = notify.Path,
            ["WATCHDOG_USEC"] = "2000000", // 2 s: pings every second
        };
        // health's groups close at 4 KiB (FlushFillBytes), never by age before the stop: so at the stop each partition
        // holds a partly filled group of readings acknowledged to no one yet, which only the flush on SIGTERM keeps.
        using var gateway = new GatewayChild([$"--Log:Directory={logDir}", "--Gateway:StatusInterval=00:00:01", "--Hardware:Mode=simulated",
            "--Log:Topics:health:FlushMaxIntervalMs=600000"], env);

        await notify.WaitFor("READY=1", TimeSpan.FromSeconds(60));
        var beforeSecondPing = await notify.WaitFor("WATCHDOG=1", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("STOPPING=1", beforeSecondPing);
        await notify.WaitFor("WATCHDOG=1", TimeSpan.FromSeconds(10));
        // Readings reached the log (groups of health became durable) before the stop.
        await gateway.WaitForLine(l => Stored().Match(l) is { Success: true } m && long.Parse(m.Groups["h"].Value) > 0, TimeSpan.FromSeconds(60));

        gateway.Terminate();
        await notify.WaitFor("STOPPING=1", TimeSpan.FromSeconds(10));
        Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
        // Journald-style lines: the systemd console format prefixes each line with its syslog level (<6> = info).
        Assert.Contains("<6>", gateway.Output);

        // The journal says what was durable and what was buffered once the producers had stopped; after the restart
        // the log ends exactly there: every buffered reading kept, none lost, no offset reused or skipped.
        var stopping = Stopping().Match(gateway.Output);
        Assert.True(stopping.Success, "no 'stopping: N records buffered, flushing' line naming health in the journal");
        long durable = long.Parse(stopping.Groups["d"].Value), buffered = long.Parse(stopping.Groups["b"].Value);
        Assert.True(durable > 0 && buffered > 0, $"the stop found health {durable} durable and {buffered} buffered: nothing for the flush to keep");
        using var log = EdgeLog.Open(new LogOptions { Directory = logDir });
        long stored = Enumerable.Range(0, log.GetTopic("health").Partitions).Sum(p => log.GetPartitionInfo("health", p).HighWatermark);
        Assert.Equal(durable + buffered, stored);
    }

    [Fact]
    public async Task A_watchdog_meant_for_another_process_is_left_alone()
    {
        // WATCHDOG_PID names the process systemd watches; a process that merely inherited the variables must not ping.
        using var dir = new TempDir();
        using var notify = new NotifySocket(dir["notify.sock"]);
        var env = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path, ["WATCHDOG_USEC"] = "2000000", ["WATCHDOG_PID"] = "1" };
        using var gateway = new GatewayChild([$"--Log:Directory={dir["log"]}", "--Gateway:StatusInterval=00:00:01", "--Hardware:Mode=simulated"], env);
        await notify.WaitFor("READY=1", TimeSpan.FromSeconds(60));
        // Two progress lines after READY: a watchdog that pinged (first at once, then every second) would have by now.
        await gateway.WaitForLine(l => l.Contains("readings/s durable", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await gateway.WaitForLine(l => l.Contains("readings/s durable", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        gateway.Terminate();
        await notify.WaitFor("STOPPING=1", TimeSpan.FromSeconds(10));
        Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
        lock (notify.Received) Assert.DoesNotContain("WATCHDOG=1", notify.Received); // including any sent before READY
    }

    [Fact]
    public async Task Watchdog_pings_keep_coming_while_the_disk_budget_holds_back_the_health_topic_and_the_journal_says_so()
    {
        // A 4 KiB budget is reached by the first readings; nothing is evictable (the other topics' segments are all
        // active), so the Block topic health waits for space for as long as the gateway runs. The gateway is still
        // storing the other topics and must not be killed by systemd for it: a restart finds the same full budget.
        using var dir = new TempDir();
        using var notify = new NotifySocket(dir["notify.sock"]);
        var env = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path, ["WATCHDOG_USEC"] = "1000000" }; // pings every 500 ms
        using var gateway = new GatewayChild([$"--Log:Directory={dir["log"]}", "--Log:DiskBudgetBytes=4096", "--Gateway:StatusInterval=00:00:01",
            "--Hardware:Mode=simulated"], env);
        await notify.WaitFor("READY=1", TimeSpan.FromSeconds(60));
        await gateway.WaitForLine(l => l.Contains("health/", StringComparison.Ordinal) && l.Contains("disk budget", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        // Status says what is held back, once health readings are waiting behind the budget.
        await gateway.WaitForLine(l => HeldBack().IsMatch(l), TimeSpan.FromSeconds(30));

        // Six more pings (3 s, six periods) while health stays blocked; the old watchdog waited for health's held-back
        // appends to become durable and sent none after the block.
        int before = Pings(notify);
        while (Pings(notify) < before + 6) await notify.WaitFor("WATCHDOG=1", TimeSpan.FromSeconds(5));
        Assert.Contains("wait for disk space", gateway.Output);
        Assert.DoesNotContain("not pinging", gateway.Output);

        gateway.Terminate();
        await notify.WaitFor("STOPPING=1", TimeSpan.FromSeconds(10));
        Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    private static int Pings(NotifySocket notify)
    {
        lock (notify.Received) return notify.Received.Count(m => m == "WATCHDOG=1");
    }

    [GeneratedRegex(@"stored (?:\S+=\d+ )*health=(?<h>\d+) ")]
    private static partial Regex Stored();

    // Other Block topics (alerts, the stream rules' checkpoints) may be listed beside health.
    [GeneratedRegex(@"held back by the disk budget: (?:[^;]*, )?health \(\d+ appends waiting\)")]
    private static partial Regex HeldBack();

    [GeneratedRegex(@"stopping: \d+ records buffered, flushing \(.*\bhealth (?<b>\d+) after (?<d>\d+) durable")]
    private static partial Regex Stopping();
}
