using System.Globalization;
using Edge.Log;
using Microsoft.Extensions.Hosting.Systemd;

namespace Edge.Gateway.Services;

/// <summary>
/// Sends WATCHDOG=1 to systemd (sd_notify(3)) at half of WatchdogSec, which systemd passes as WATCHDOG_USEC.
/// Microsoft.Extensions.Hosting.Systemd reports READY and STOPPING but never pings the watchdog, so without this a
/// unit with WatchdogSec= would be killed once per interval.
/// <para>A ping is a claim that the gateway is doing its job, so it is sent only while the pipeline is healthy: the
/// log completes a flush within the ping period (a disk that hangs in fdatasync, or a wedged writer, stops the pings)
/// and appends are not all failing (failures grew while nothing was appended since the last ping). Then systemd kills
/// and restarts a gateway that is alive but no longer storing readings — the case a plain timer would hide.</para>
/// </summary>
public sealed class SystemdWatchdog(ISystemdNotifier notifier, EdgeLog log, GatewayCounters counters, TimeProvider time, ILogger<SystemdWatchdog> logger)
    : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");

    /// <summary>The ping period: half of WATCHDOG_USEC (sd_watchdog_enabled(3) recommends pinging at half the interval), or null when no watchdog applies to this process.</summary>
    public static TimeSpan? Period()
    {
        if (!long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out long usec) || usec <= 0)
            return null;
        // WATCHDOG_PID names the process the watchdog is meant for; a child that inherited the variables must not ping.
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture)) return null;
        return TimeSpan.FromMicroseconds(usec / 2.0);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled || Period() is not { } period) return;
        logger.LogInformation("systemd watchdog: pinging every {Period} ms while the log is healthy", period.TotalMilliseconds);
        using var timer = new PeriodicTimer(period, time);
        long appended = counters.Appended, failed = counters.Failed;
        do
        {
            string? problem = await CheckAsync(period, appended, failed, stoppingToken).ConfigureAwait(false);
            appended = counters.Appended;
            failed = counters.Failed;
            if (problem is null) notifier.Notify(Ping);
            else logger.LogError("systemd watchdog: not pinging: {Problem}", problem);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task<string?> CheckAsync(TimeSpan period, long appended, long failed, CancellationToken stoppingToken)
    {
        if (counters.Failed > failed && counters.Appended == appended) return $"{counters.Failed - failed} appends failed and none succeeded";
        try
        {
            await log.FlushAsync().AsTask().WaitAsync(period, time, stoppingToken).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            return $"a log flush did not complete within {period.TotalMilliseconds} ms";
        }
        catch (LogException e)
        {
            return $"the log failed to flush: {e.Message}";
        }
    }
}
