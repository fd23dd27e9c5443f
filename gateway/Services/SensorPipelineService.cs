using Edge.Gateway.Configuration;
using Edge.Log;
using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Hardware;
using Edge.Sensors.Sampling;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>
/// Sensors -> log: one sampler per configured sensor on its own schedule, and one forwarder per sensor that appends
/// what the sampler queued, keyed by sensor id (so a sensor's readings stay ordered in one partition), in batches
/// that share the log's group commit. A slow log fills the sampler's bounded queue and the sensor's overflow policy
/// applies. Drivers are built on the configured hardware (the Pi's buses or firmware-sim) by <see cref="ReconnectingSensor"/>.
/// </summary>
public sealed class SensorPipelineService(EdgeLog log, IOptions<SensorSettings> settings, ISensorHardware hardware, SensorRegistry registry,
    GatewayCounters counters, Edge.Local.Live.LiveFeed live, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private const int MaxBatch = 1000;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger<SensorPipelineService>();
        var specs = settings.Value.Specs;
        if (specs.Count == 0) logger.LogWarning("no sensors are configured (section Sensors): nothing will be sampled");
        // Each call registers its sampler before its first await, so the registry is complete once the loop is done.
        return Task.WhenAll(specs.Select(spec => SampleAsync(spec, logger, stoppingToken)).ToList());
    }

    private async Task SampleAsync(SensorSpec spec, ILogger logger, CancellationToken stoppingToken)
    {
        // The sampler does not own its sensor: the driver (and the bus device it holds open) is released here once
        // sampling and forwarding have stopped.
        using var sensor = new ReconnectingSensor(spec, hardware, time);
        var sampler = new SensorSampler(sensor, spec.Sampling, time, loggers.CreateLogger<SensorSampler>(), hardware.IsSimulated);
        registry.Add(sampler, spec);
        logger.LogInformation("sensor {Id}: {Type} ({Description}) every {Interval} ms -> topic {Topic}",
            spec.Id, spec.Type.Name, spec.Type.Description, spec.Sampling.Interval.TotalMilliseconds, spec.Topic);
        await Task.WhenAll(sampler.RunAsync(stoppingToken), ForwardAsync(sampler, spec.Topic, logger, stoppingToken)).ConfigureAwait(false);
    }

    private async Task ForwardAsync(SensorSampler sampler, string topic, ILogger logger, CancellationToken stoppingToken)
    {
        var key = System.Text.Encoding.UTF8.GetBytes(sampler.SensorId);
        var batch = new List<Task<RecordPosition>>(MaxBatch);
        var readings = new List<Reading>(MaxBatch);
        try
        {
            while (await sampler.Readings.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (batch.Count < MaxBatch && sampler.Readings.TryRead(out var reading))
                {
                    var record = new Record(key, ReadingBinaryCodec.Encode(reading), reading.Timestamp.ToUnixTimeMilliseconds());
                    batch.Add(log.AppendAsync(topic, record, cancellationToken: stoppingToken).AsTask());
                    readings.Add(reading);
                }
                try
                {
                    await Task.WhenAll(batch).ConfigureAwait(false);
                }
                catch (LogException e)
                {
                    logger.LogError(e, "appending readings of {Sensor} to {Topic} failed", sampler.SensorId, topic);
                }
                counters.AddAppended(batch.Count(t => t.IsCompletedSuccessfully));
                counters.AddFailed(batch.Count(t => t.IsFaulted));
                // Live readings are offered only once stored: a dashboard never shows what the log does not have.
                if (live.HasSubscribers)
                    for (int i = 0; i < batch.Count; i++)
                        if (batch[i].IsCompletedSuccessfully) live.Offer(topic, readings[i]);
                batch.Clear();
                readings.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
