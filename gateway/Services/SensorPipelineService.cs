using Edge.FirmwareSim.Devices;
using Edge.FirmwareSim.Scenarios;
using Edge.FirmwareSim.Synthetic;
using Edge.Sensors;
using Edge.Sensors.Devices.Max30102;
using Edge.Sensors.Devices.Qmc5883l;
using Edge.Gateway.Configuration;
using Edge.Log;
using Edge.Readings;
using Edge.Sensors.Sampling;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>
/// Sensors -> log: one sampler per sensor on its own schedule, and one forwarder per sensor that appends what the
/// sampler queued, keyed by sensor id (so a sensor's readings stay ordered in one partition), in batches that share
/// the log's group commit. A slow log fills the sampler's bounded queue and the sensor's overflow policy applies.
/// </summary>
public sealed class SensorPipelineService(EdgeLog log, IOptions<SimulationSettings> settings, SensorRegistry registry,
    GatewayCounters counters, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private const int MaxBatch = 1000;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var s = settings.Value;
        int count = SyntheticFleet.Sensors.Count;
        var interval = TimeSpan.FromSeconds((double)count / s.ReadingsPerSecond);
        var logger = loggers.CreateLogger<SensorPipelineService>();
        logger.LogInformation("simulating {Count} synthetic sensors, each every {Interval} ms ({Rate} readings/s), plus a QMC5883L and a MAX30102 on register models",
            count, interval.TotalMilliseconds, s.ReadingsPerSecond);
        var tasks = new List<Task>();
        void Run(ISensor sensor, string topic, TimeSpan every)
        {
            var sampler = new SensorSampler(sensor, new SamplerOptions { Interval = every, Overflow = SensorOverflow.DropOldest },
                time, loggers.CreateLogger<SensorSampler>(), simulated: true);
            registry.Add(sampler);
            tasks.Add(sampler.RunAsync(stoppingToken));
            tasks.Add(ForwardAsync(sampler, topic, logger, stoppingToken));
        }
        for (int i = 0; i < count; i++)
        {
            var sensor = new SyntheticSensor(i, s.Seed, time);
            Run(sensor, sensor.Topic, interval);
        }
        // Real drivers on firmware-sim's register models: a lane magnetometer over simulated traffic, a pulse oximeter.
        var lane = new TrafficLane(s.Seed);
        Run(new Qmc5883lSensor("mag-lane1", new Qmc5883l(new Qmc5883lSimulator(time) { FieldModel = lane.FieldAt })), "traffic", TimeSpan.FromMilliseconds(100));
        var oximeter = new Max30102Simulator(time, s.Seed);
        oximeter.SetSubject(70, 97);
        Run(new Max30102Sensor("spo2-bed2", new Max30102(oximeter)), "health", TimeSpan.FromMilliseconds(250));
        return Task.WhenAll(tasks);
    }

    private async Task ForwardAsync(SensorSampler sampler, string topic, ILogger logger, CancellationToken stoppingToken)
    {
        var key = System.Text.Encoding.UTF8.GetBytes(sampler.SensorId);
        var batch = new List<Task<RecordPosition>>(MaxBatch);
        try
        {
            while (await sampler.Readings.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (batch.Count < MaxBatch && sampler.Readings.TryRead(out var reading))
                {
                    var record = new Record(key, ReadingBinaryCodec.Encode(reading), reading.Timestamp.ToUnixTimeMilliseconds());
                    batch.Add(log.AppendAsync(topic, record, cancellationToken: stoppingToken).AsTask());
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
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
