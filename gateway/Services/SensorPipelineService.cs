using System.Threading.Channels;
using Edge.Log;
using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Hardware;
using Edge.Sensors.Sampling;

namespace Edge.Gateway.Services;

/// <summary>
/// Sensors -> log: the configured sensors sampled by a <see cref="BoardSampler"/> (one shared thread, "edge-sampler",
/// waking once per due instant across them, and a thread of its own for each whose read blocks), and one forwarder
/// per sensor that appends what its sampler queued, keyed by sensor id (so a sensor's readings stay ordered in one
/// partition), sharing the log's group commit. A slow log fills the forwarder's in-flight window, then the sampler's
/// bounded queue, and the sensor's overflow policy applies. Drivers are built on the configured hardware (the Pi's
/// buses or firmware-sim) by <see cref="ReconnectingSensor"/>.
/// </summary>
public sealed class SensorPipelineService(EdgeLog log, ConfiguredSensors sensors, ISensorHardware hardware, SensorRegistry registry,
    GatewayCounters counters, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private const int MaxInFlight = 4096;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger<SensorPipelineService>();
        var specs = sensors.Specs;
        if (specs.Count == 0) logger.LogWarning("no sensors are configured (section Sensors): nothing will be sampled");
        var samplerLog = loggers.CreateLogger<SensorSampler>();
        var board = new BoardSampler(time, samplerLog);
        var drivers = new List<ReconnectingSensor>();
        var forwarders = new List<Task>();
        try
        {
            foreach (var spec in specs)
            {
                // The sampler does not own its sensor: the driver (and the bus device it holds open) is released below
                // once sampling and forwarding have stopped.
                var sensor = new ReconnectingSensor(spec, hardware, time);
                drivers.Add(sensor);
                var sampler = new SensorSampler(sensor, spec.Sampling, time, samplerLog, hardware.IsSimulated);
                var thread = board.Add(sampler, spec.Type);
                registry.Add(sampler, spec);
                logger.LogInformation("sensor {Id}: {Type} ({Description}) every {Interval} ms on thread {Thread} -> topic {Topic}",
                    spec.Id, spec.Type.Name, spec.Type.Description, spec.Sampling.Interval.TotalMilliseconds, thread.Name, spec.Topic);
                forwarders.Add(ForwardAsync(sampler, spec.Topic, spec.Type.Alarm ? TimeSpan.Zero : null, logger, stoppingToken));
            }
            // The registry is complete before the first tick: the status line and queries see every sensor.
            await Task.WhenAll(forwarders.Prepend(board.RunAsync(stoppingToken)).ToList()).ConfigureAwait(false);
        }
        finally
        {
            foreach (var d in drivers) d.Dispose();
        }
    }

    // Appends do not wait for the previous ones to be durable: a topic's group may linger for company for seconds
    // (FORMAT.md §6.2), and a forwarder that waited for each batch would leave the sampler's bounded queue to overflow
    // meanwhile. Up to MaxInFlight readings per sensor are appended and not yet durable (then the forwarder waits, and
    // the sampler's overflow policy applies); a second loop awaits them in order for the counters.
    // maxWait: null keeps the topic's flush interval (routine readings); zero for alarms, which must not wait.
    private async Task ForwardAsync(SensorSampler sampler, string topic, TimeSpan? maxWait, ILogger logger, CancellationToken stoppingToken)
    {
        var key = ReadingRecord.Key(sampler.SensorId);
        var inFlight = Channel.CreateBounded<Task<RecordPosition>>(
            new BoundedChannelOptions(MaxInFlight) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var completions = CompleteAsync(inFlight.Reader, sampler.SensorId, topic, logger, stoppingToken);
        try
        {
            while (await sampler.Readings.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (sampler.Readings.TryRead(out var reading))
                {
                    var record = ReadingRecord.From(reading, key);
                    var append = log.AppendAsync(topic, record, maxWait, cancellationToken: stoppingToken).AsTask();
                    await inFlight.Writer.WriteAsync(append, stoppingToken).ConfigureAwait(false);
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

    // Counts each append once it is durable (or failed); the live feed follows the log itself. A run of failures is
    // logged once, not once per reading.
    private async Task CompleteAsync(ChannelReader<Task<RecordPosition>> inFlight, string sensorId, string topic,
        ILogger logger, CancellationToken stoppingToken)
    {
        bool failing = false;
        try
        {
            await foreach (var append in inFlight.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await append.WaitAsync(stoppingToken).ConfigureAwait(false);
                    counters.AddAppended(1);
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
