using Edge.Gateway.Configuration;
using Edge.Log;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>Logs a readable progress line every StatusInterval: readings/s, log size and each topic's end offsets.</summary>
public sealed class StatusReporter(EdgeLog log, GatewayCounters counters, SensorRegistry sensors, UplinkService uplink, IOptions<GatewaySettings> settings, TimeProvider time,
    ILogger<StatusReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = settings.Value.StatusInterval;
        using var timer = new PeriodicTimer(interval, time);
        long last = counters.Appended;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            long now = counters.Appended;
            double rate = (now - last) / interval.TotalSeconds;
            last = now;
            var topics = log.UserTopics.Select(t =>
            {
                long records = 0;
                for (int p = 0; p < t.Partitions; p++)
                {
                    var info = log.GetPartitionInfo(t.Name, p);
                    records += info.HighWatermark - info.LogStartOffset;
                }
                return $"{t.Name}={records}";
            });
            var statuses = sensors.Statuses;
            var degraded = statuses.Where(s => s.State == Edge.Sensors.Sampling.SensorState.Degraded).Select(s => s.SensorId).ToList();
            var blocked = log.BudgetBlockedTopics.Where(b => b.Value > 0).ToList(); // topics with appends actually waiting
            string heldBack = blocked.Count == 0 ? "" : "; held back by the disk budget: " + string.Join(", ",
                blocked.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key} ({b.Value} appends waiting)"));
            logger.LogInformation("{Gateway}: {Sensors} sensors ({Degraded}), {Rate:F0} readings/s durable, {Total} total, {Dropped} dropped, {Failed} failed; log {Size:F1} MiB {Disk}; stored {Topics}{HeldBack}; uplink {Uplink}",
                settings.Value.Id, statuses.Count, degraded.Count == 0 ? "all ok" : "degraded: " + string.Join(",", degraded), rate, now,
                statuses.Sum(s => s.Dropped + s.Decimated), counters.Failed, log.DiskBytes / 1048576.0, Describe(log.DiskUsage), string.Join(" ", topics), heldBack, Describe(uplink.Status));
        }
    }

    // "of 32.0 MiB budget (auto), 1234 evicted, disk full: traffic/1 waits for space"
    private static string Describe(DiskUsage d)
    {
        string budget = d.BudgetBytes > 0 ? $"of {d.BudgetBytes / 1048576.0:F1} MiB budget{(d.ConfiguredBudgetBytes > 0 ? "" : " (auto)")}" : "(no budget yet)";
        string evicted = d.EvictedRecords > 0 ? $", {d.EvictedRecords} evicted" : "";
        string state = d.DiskFullPartitions.Count > 0 ? $", DISK FULL: {string.Join(",", d.DiskFullPartitions)} wait(s) for space"
            : d.BudgetBlocking ? ", budget reached: Block topics wait" : "";
        return budget + evicted + state;
    }

    private static string Describe(Edge.Uplink.UplinkStatus? s)
    {
        if (s is null || s.State == Edge.Uplink.Connection.UplinkState.BufferOnly) return "buffer-only (no Uplink:Host configured)";
        string state = s.State == Edge.Uplink.Connection.UplinkState.Connected ? $"connected to {s.Endpoint}" : $"{s.State} {s.Endpoint}: {s.LastError}";
        string oldest = s.OldestUnsent is { } o ? $", oldest unsent {o.TotalSeconds:F0} s" : "";
        string drain = s.Lag > 0 && s.DrainEstimate is { } d ? $", drains in ~{d.TotalSeconds:F0} s" : "";
        return $"{state}, {s.AckedPerSecond:F0} readings/s acked, lag {s.Lag}{oldest}{drain}, {s.Resent} resent, {s.DeadLettered} dead-lettered"
            + (s.Unreadable > 0 ? $", {s.Unreadable} unreadable" : "")
            + (s.Stopped is { Count: > 0 } stopped ? $", restarting {string.Join(", ", stopped.Select(p => $"{p.Key} ({p.Value})"))}" : "");
    }
}
