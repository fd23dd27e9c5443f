using Edge.Gateway.Configuration;
using Edge.Log;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>Logs a readable progress line every StatusInterval: readings/s, log size and each topic's end offsets.</summary>
public sealed class StatusReporter(EdgeLog log, GatewayCounters counters, SensorRegistry sensors, IOptions<GatewaySettings> settings, TimeProvider time,
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
            var topics = log.Topics.Select(t =>
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
            logger.LogInformation("{Gateway}: {Sensors} sensors ({Degraded}), {Rate:F0} readings/s durable, {Total} total, {Dropped} dropped, {Failed} failed; log {Size:F1} MiB; stored {Topics}",
                settings.Value.Id, statuses.Count, degraded.Count == 0 ? "all ok" : "degraded: " + string.Join(",", degraded), rate, now,
                statuses.Sum(s => s.Dropped + s.Decimated), counters.Failed, log.DiskBytes / 1048576.0, string.Join(" ", topics));
        }
    }
}
