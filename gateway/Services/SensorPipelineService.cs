using System.Threading.Channels;
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
/// what the sampler queued, keyed by sensor id (so a sensor's readings stay ordered in one partition), sharing the
/// log's group commit. A slow log fills the forwarder's in-flight window, then the sampler's bounded queue, and the
/// sensor's overflow policy applies. Drivers are built on the configured hardware (the Pi's buses or firmware-sim) by <see cref="ReconnectingSensor"/>.
/// </summary>
public sealed class SensorPipelineService(EdgeLog log, IOptions<SensorSettings> settings, ISensorHardware hardware, SensorRegistry registry,
    GatewayCounters counters, Edge.Local.Live.LiveFeed live, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private const int MaxInFlight = 4096;

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
        await Task.WhenAll(sampler.RunAsync(stoppingToken), ForwardAsync(sampler, spec.Topic, spec.Type.Alarm ? TimeSpan.Zero : null, logger, stoppingToken)).ConfigureAwait(false);
    }

    // Appends do not wait for the previous ones to be durable: a topic's group may linger for company for seconds
    // (FORMAT.md §6.2), and a forwarder that waited for each batch would leave the sampler's bounded queue to overflow
    // meanwhile. Up to MaxInFlight readings per sensor are appended and not yet durable (then the forwarder waits, and
    // the sampler's overflow policy applies); a second loop awaits them in order for the counters and the live feed.
    // maxWait: null keeps the topic's flush interval (routine readings); zero for alarms, which must not wait.
    private async Task ForwardAsync(SensorSampler sampler, string topic, TimeSpan? maxWait, ILogger logger, CancellationToken stoppingToken)
    {
        var key = System.Text.Encoding.UTF8.GetBytes(sampler.SensorId);
        var inFlight = Channel.CreateBounded<(Task<RecordPosition> Append, Reading Reading)>(
            new BoundedChannelOptions(MaxInFlight) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var completions = CompleteAsync(inFlight.Reader, sampler.SensorId, topic, logger, stoppingToken);
        try
        {
            while (await sampler.Readings.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (sampler.Readings.TryRead(out var reading))
                {
                    var record = new Record(key, ReadingBinaryCodec.Encode(reading), reading.Timestamp.ToUnixTimeMilliseconds());
                    var append = log.AppendAsync(topic, record, maxWait, cancellationToken: stoppingToken).AsTask();
                    await inFlight.Writer.WriteAsync((append, reading), stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            inFlight.Writer.TryComplete();
        }
        await completions.ConfigureAwait(false);
    }

    // Counts each append once it is durable (or failed) and offers it live only then: a dashboard never shows what the
    // log does not have. A run of failures is logged once, not once per reading.
    private async Task CompleteAsync(ChannelReader<(Task<RecordPosition> Append, Reading Reading)> inFlight, string sensorId, string topic,
        ILogger logger, CancellationToken stoppingToken)
    {
        bool failing = false;
        try
        {
            await foreach (var (append, reading) in inFlight.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await append.WaitAsync(stoppingToken).ConfigureAwait(false);
                    counters.AddAppended(1);
                    if (live.HasSubscribers) live.Offer(topic, reading);
                    failing = false;
                }
                catch (LogException e)
                {
                    counters.AddFailed(1);
                    if (!failing) logger.LogError(e, "appending readings of {Sensor} to {Topic} failed", sensorId, topic);
                    failing = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still in flight becomes durable when the log closes (it flushes every group).
        }
    }
}
