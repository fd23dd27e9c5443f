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
        logger.LogInformation("systemd watchdog: pinging every {Period} ms while the log is healthy", period.TotalMilliseconds);
        using var timer = new PeriodicTimer(period, time);
        long appended = counters.Appended, failed = counters.Failed;
        do
        {
            // Counters are read once per period, so every append is judged in exactly one period.
            long appendedNow = counters.Appended, failedNow = counters.Failed;
            string? problem = failedNow > failed && appendedNow == appended
                ? $"{failedNow - failed} appends failed and none succeeded in the last {period.TotalMilliseconds} ms"
                : await FlushAsync(period, stoppingToken).ConfigureAwait(false);
            (appended, failed) = (appendedNow, failedNow);
            if (problem is null) notifier.Notify(Ping);
            else logger.LogError("systemd watchdog: not pinging: {Problem}", problem);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task<string?> FlushAsync(TimeSpan period, CancellationToken stoppingToken)
    {
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
