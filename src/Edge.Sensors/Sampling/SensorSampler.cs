using System.Threading.Channels;
using Edge.Readings;
using Microsoft.Extensions.Logging;

namespace Edge.Sensors.Sampling;

/// <summary>
/// Samples one sensor on its own periodic schedule and queues readings for the log in a bounded channel, applying
/// the sensor's overflow policy when the channel is full, so memory stays bounded whatever happens downstream.
/// A device that throws <see cref="IOException"/> is retried with exponential backoff (in ticks) and reported
/// degraded; no reading is produced for a failed read. Each emitted reading gets the next per-sensor sequence
/// number, so a dropped reading shows as a gap downstream.
/// </summary>
public sealed class SensorSampler
{
    private readonly ISensor _sensor;
    private readonly SamplerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<Reading> _channel;
    private readonly ReadingQuality _quality;
    private long _sequence;
    private long _readings, _dropped, _decimated, _missedTicks, _failures, _notReady;
    private int _decimation = 1;
    private SensorState _state = SensorState.Starting;
    private DateTimeOffset? _lastReadingAt;
    private string? _lastError;

    public SensorSampler(ISensor sensor, SamplerOptions options, TimeProvider time, ILogger log, bool simulated = false)
    {
        options.Validate(sensor.Id);
        _sensor = sensor;
        _options = options;
        _time = time;
        _log = log;
        _quality = simulated ? ReadingQuality.Simulated : ReadingQuality.Ok;
        var channelOptions = new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = options.Overflow == SensorOverflow.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        };
        _channel = Channel.CreateBounded<Reading>(channelOptions, _ => Interlocked.Increment(ref _dropped));
    }

    public string SensorId => _sensor.Id;

    /// <summary>Readings waiting for the log, in order.</summary>
    public ChannelReader<Reading> Readings => _channel.Reader;

    public SensorStatus Status => new(_sensor.Id, _state, Interlocked.Read(ref _readings), Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _decimated), Interlocked.Read(ref _missedTicks), Interlocked.Read(ref _failures), Interlocked.Read(ref _notReady), _lastReadingAt, _lastError);

    /// <summary>Raised after each tick is handled (tests wait on it instead of sleeping).</summary>
    internal event Action<long>? TickHandled;

    /// <summary>Samples until <paramref name="cancellationToken"/> fires, then completes the channel.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        var start = _time.GetUtcNow();
        long lastTick = 0, skipUntil = 0;
        int consecutiveFailures = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = _time.GetUtcNow();
                long tick = Math.Max(lastTick + 1, (long)((now - start) / _options.Interval));
                Interlocked.Add(ref _missedTicks, tick - lastTick - 1); // ticks that passed while we were blocked
                lastTick = tick;
                // Decimation relaxes by half on every tick the log has caught up to half the queue.
                if (_decimation > 1 && _channel.Reader.Count < _options.QueueCapacity / 2) _decimation /= 2;
                if (tick < skipUntil || tick % _decimation != 0)
                {
                    if (tick >= skipUntil) Interlocked.Increment(ref _decimated);
                    TickHandled?.Invoke(tick);
                    continue;
                }
                IReadOnlyList<ReadingValue> values;
                bool ready;
                try
                {
                    ready = _sensor.TryRead(out values);
                }
                catch (IOException e)
                {
                    consecutiveFailures++;
                    Interlocked.Increment(ref _failures);
                    _lastError = e.Message;
                    // Back off 1, 2, 4, ... ticks: a missing device is not hammered, and the first retry is immediate.
                    skipUntil = tick + Math.Min(1L << Math.Min(consecutiveFailures - 1, 30), _options.MaxBackoffTicks);
                    if (_state != SensorState.Degraded)
                        _log.LogWarning("sensor {Sensor} stopped answering ({Error}); retrying with backoff", _sensor.Id, e.Message);
                    _state = SensorState.Degraded;
                    TickHandled?.Invoke(tick);
                    continue;
                }
                // The device answered (even with nothing new, e.g. no vehicle passed): it is healthy again.
                if (_state == SensorState.Degraded)
                    _log.LogInformation("sensor {Sensor} answers again after {Failures} failed reads", _sensor.Id, consecutiveFailures);
                consecutiveFailures = 0;
                _state = SensorState.Ok;
                if (!ready)
                {
                    Interlocked.Increment(ref _notReady); // answered, but nothing new to report: no reading
                    TickHandled?.Invoke(tick);
                    continue;
                }
                var reading = new Reading(_sensor.Id, _sensor.Kind, now, values, _quality, _sequence++);
                _lastReadingAt = now;
                Interlocked.Increment(ref _readings);
                await Enqueue(reading, cancellationToken).ConfigureAwait(false);
                TickHandled?.Invoke(tick);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _channel.Writer.TryComplete();
        }
    }

    private async ValueTask Enqueue(Reading reading, CancellationToken cancellationToken)
    {
        switch (_options.Overflow)
        {
            case SensorOverflow.DropOldest:
                _channel.Writer.TryWrite(reading); // full: the channel drops this sensor's oldest reading and counts it
                break;
            case SensorOverflow.Block:
                await _channel.Writer.WriteAsync(reading, cancellationToken).ConfigureAwait(false);
                break;
            default:
                if (!_channel.Writer.TryWrite(reading))
                {
                    Interlocked.Increment(ref _decimated);
                    _decimation = Math.Min(_decimation * 2, _options.MaxDecimation);
                }
                break;
        }
    }
}
