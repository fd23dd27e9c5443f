using Edge.FirmwareSim.Synthetic;
using Edge.Gateway.Configuration;
using Edge.Log;
using Edge.Readings;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>
/// Samples the synthetic fleet at a fixed rate and appends each reading to its topic, keyed by sensor id so all
/// readings of a sensor stay in order in one partition. Each tick's appends are awaited together: the log's
/// group commit makes them durable with one fdatasync per partition, and a slow disk slows this loop (back-pressure).
/// </summary>
public sealed class SyntheticSensorService(EdgeLog log, IOptions<SimulationSettings> settings, GatewayCounters counters,
    TimeProvider time, ILogger<SyntheticSensorService> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var fleet = new SyntheticFleet(settings.Value.Seed);
        double perTick = settings.Value.ReadingsPerSecond * Tick.TotalSeconds;
        double owed = 0;
        int sensor = 0;
        logger.LogInformation("simulating {Count} sensors at {Rate} readings/s", SyntheticFleet.Sensors.Count, settings.Value.ReadingsPerSecond);
        using var timer = new PeriodicTimer(Tick, time);
        var pending = new List<Task<RecordPosition>>();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            owed += perTick;
            var now = time.GetUtcNow();
            for (; owed >= 1; owed--)
            {
                string topic = SyntheticFleet.TopicOf(sensor);
                var reading = fleet.Next(sensor++, now);
                var key = System.Text.Encoding.UTF8.GetBytes(reading.SensorId);
                pending.Add(log.AppendAsync(topic, new Record(key, ReadingBinaryCodec.Encode(reading), reading.Timestamp.ToUnixTimeMilliseconds())).AsTask());
            }
            try
            {
                await Task.WhenAll(pending).ConfigureAwait(false);
                counters.AddAppended(pending.Count);
            }
            catch (LogException e)
            {
                counters.AddFailed(pending.Count(t => t.IsFaulted));
                counters.AddAppended(pending.Count(t => t.IsCompletedSuccessfully));
                logger.LogError(e, "appending readings failed");
            }
            pending.Clear();
        }
    }
}
