using System.Globalization;
using Edge.Log;
using Microsoft.Extensions.Hosting.Systemd;

namespace Edge.Gateway.Services;

/// <summary>
/// Sends WATCHDOG=1 to systemd (sd_notify(3)) at half of WatchdogSec, which systemd passes as WATCHDOG_USEC.
/// Microsoft.Extensions.Hosting.Systemd reports READY and STOPPING but never pings the watchdog, so without this a
/// unit with WatchdogSec= would be killed once per interval.
/// <para>A ping is a claim that the gateway is making progress, so it is sent only while the log's writers turn over:
/// no partition writer has been stuck for a whole period (a disk that hangs in fdatasync, a writer that stopped after
/// a write failure, a group overdue under its flush policy — <see cref="EdgeLog.FindStalledWriter"/>), and appends
/// are not all failing (failures grew while nothing was appended since the last ping). Then systemd kills and
/// restarts a gateway that is alive but no longer storing readings — the case a plain timer would hide.</para>
/// <para>Appends a <c>Block</c> topic holds back under the disk budget are not waited for: that is the log working as
/// configured, and a restart would find the same full budget, so the pings go on and the journal says which topics
/// are held back (waiting for them turned a full health topic into SIGABRT, restart, same state, and a unit that gives
/// up after StartLimitBurst). Nor does the probe force a flush: a forced fdatasync of every partition each period
/// would cost the SD card a page rewrite per partition per period (FORMAT.md §6.2).</para>
/// </summary>
public sealed class SystemdWatchdog(ISystemdNotifier notifier, EdgeLog log, GatewayCounters counters, TimeProvider time, ILogger<SystemdWatchdog> logger)
    : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");

    /// <summary>The ping period; by default <see cref="FromEnvironment"/>.</summary>
    public TimeSpan? Period { get; init; } = FromEnvironment();

    /// <summary>Half of WATCHDOG_USEC (sd_watchdog_enabled(3) recommends pinging at half the interval), or null when no watchdog applies to this process.</summary>
    public static TimeSpan? FromEnvironment() =>
        FromVariables(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);

    /// <summary>The ping period for these WATCHDOG_USEC and WATCHDOG_PID values in process <paramref name="processId"/>.</summary>
    public static TimeSpan? FromVariables(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out long usec) || usec <= 0) return null;
        // WATCHDOG_PID names the process the watchdog is meant for; a child that inherited the variables must not ping.
        if (!string.IsNullOrEmpty(watchdogPid) && watchdogPid != processId.ToString(CultureInfo.InvariantCulture)) return null;
        return TimeSpan.FromMicroseconds(usec / 2.0);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled || Period is not { } period) return;
        logger.LogInformation("systemd watchdog: pinging every {Period} ms while the log makes progress", period.TotalMilliseconds);
        using var timer = new PeriodicTimer(period, time);
        // The same verdict as /healthz (LivenessProbe), judged once per period.
        var probe = new LivenessProbe(log, counters);
        string heldBack = "";
        do
        {
            string? problem = probe.Check(period);
            heldBack = ReportHeldBack(heldBack);
            if (problem is null) notifier.Notify(Ping);
            else logger.LogError("systemd watchdog: not pinging: {Problem}", problem);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    // Says once when Block topics start (or stop) being held back by the disk budget, not every period.
    private string ReportHeldBack(string before)
    {
        string now = string.Join(", ", log.BudgetBlockedTopics.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key));
        if (now == before) return now;
        if (now.Length > 0)
            logger.LogWarning("systemd watchdog: still pinging while topic(s) {Topics} wait for disk space (Log:DiskBudgetBytes reached, Overflow Block): the log keeps storing what it admitted; a restart would not free space",
                now);
        else
            logger.LogInformation("systemd watchdog: no topic is held back by the disk budget any more (was: {Topics})", before);
        return now;
    }
}
