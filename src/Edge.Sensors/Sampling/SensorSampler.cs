using System.Threading.Channels;
using Edge.Readings;
using Microsoft.Extensions.Logging;

namespace Edge.Sensors.Sampling;

/// <summary>
/// Samples one sensor on its own schedule (every <see cref="SamplerOptions.Interval"/>, counted from the start of its
/// <see cref="SamplingThread"/>, so the schedule does not drift) and queues readings for the log in a bounded channel,
/// applying the sensor's overflow policy when the channel is full, so memory stays bounded whatever happens downstream.
/// A device that throws <see cref="IOException"/> is retried with exponential backoff (in ticks) and reported
/// degraded; no reading is produced for a failed read. Each emitted reading gets the next per-sensor sequence
/// number, so a dropped reading shows as a gap downstream. The ticks run on a <see cref="SamplingThread"/>, shared
/// with the board's other sensors: a tick never waits (see <see cref="SensorOverflow.Block"/>).
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
    // Schedule, touched only by the sampling thread: the last tick handled, the first tick a backoff allows.
    private long _lastTick, _skipUntil;
    private int _consecutiveFailures;

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

    /// <summary>Raised after each tick is handled, on the sampling thread (tests wait on it instead of sleeping).</summary>
    internal event Action<long>? TickHandled;

    /// <summary>When the next tick is due, as time since the sampling thread started.</summary>
    internal TimeSpan NextDue => _options.Interval * (_lastTick + 1);

    /// <summary>
    /// Samples this sensor alone, on a sampling thread of its own, until <paramref name="cancellationToken"/> fires,
    /// then completes the channel. The gateway puts a board's sensors on one <see cref="SamplingThread"/> instead.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var thread = new SamplingThread(BoardSampler.SharedThreadName, _time, _log);
        thread.Add(this);
        return thread.RunAsync(cancellationToken);
    }

    /// <summary>
    /// Handles the tick due at <paramref name="elapsed"/> (time since the sampling thread started). Called on the
    /// sampling thread only. Throws only what the sensor threw other than <see cref="IOException"/> (a driver bug).
    /// </summary>
    internal void Tick(TimeSpan elapsed)
    {
        long tick = Math.Max(_lastTick + 1, elapsed.Ticks / _options.Interval.Ticks);
        Interlocked.Add(ref _missedTicks, tick - _lastTick - 1); // ticks that passed while the thread was busy
        _lastTick = tick;
        // Decimation relaxes by half on every tick the log has caught up to half the queue.
        if (_decimation > 1 && _channel.Reader.Count < _options.QueueCapacity / 2) _decimation /= 2;
        if (tick < _skipUntil || tick % _decimation != 0)
        {
            if (tick >= _skipUntil) Interlocked.Increment(ref _decimated);
        }
        else if (_options.Overflow == SensorOverflow.Block && _channel.Reader.Count >= _options.QueueCapacity)
        {
            // Block on a shared thread: waiting for room would hold every other sensor of the board, so the full
            // sensor is not read this tick (a missed tick, nothing dropped) and tries again at the next. This is the
            // single writer, so the room seen here can only grow before the write below.
            Interlocked.Increment(ref _missedTicks);
        }
        else
        {
            Sample(tick);
        }
        TickHandled?.Invoke(tick);
    }

    private void Sample(long tick)
    {
        var now = _time.GetUtcNow(); // the reading's time is the tick's, before a slow device answers
        IReadOnlyList<ReadingValue> values;
        bool ready;
        try
        {
            ready = _sensor.TryRead(out values);
        }
        catch (IOException e)
        {
            _consecutiveFailures++;
            Interlocked.Increment(ref _failures);
            _lastError = e.Message;
            // Back off 1, 2, 4, ... ticks: a missing device is not hammered, and the first retry is immediate.
            _skipUntil = tick + Math.Min(1L << Math.Min(_consecutiveFailures - 1, 30), _options.MaxBackoffTicks);
            if (_state != SensorState.Degraded)
                _log.LogWarning("sensor {Sensor} stopped answering ({Error}); retrying with backoff", _sensor.Id, e.Message);
            _state = SensorState.Degraded;
            return;
        }
        // The device answered (even with nothing new, e.g. no vehicle passed): it is healthy again.
        if (_state == SensorState.Degraded)
            _log.LogInformation("sensor {Sensor} answers again after {Failures} failed reads", _sensor.Id, _consecutiveFailures);
        _consecutiveFailures = 0;
        _state = SensorState.Ok;
        if (!ready)
        {
            Interlocked.Increment(ref _notReady); // answered, but nothing new to report: no reading
            return;
        }
        var reading = new Reading(_sensor.Id, _sensor.Kind, now, values, _quality, _sequence++);
        _lastReadingAt = now;
        Interlocked.Increment(ref _readings);
        Enqueue(reading);
    }

    private void Enqueue(Reading reading)
    {
        if (_options.Overflow != SensorOverflow.Decimate)
        {
            _channel.Writer.TryWrite(reading); // DropOldest: full, the channel drops this sensor's oldest reading and counts it; Block: Tick saw room
            return;
        }
        if (_channel.Writer.TryWrite(reading)) return;
        Interlocked.Increment(ref _decimated);
        _decimation = Math.Min(_decimation * 2, _options.MaxDecimation);
    }

    /// <summary>
    /// The sensor threw something other than <see cref="IOException"/> (a driver bug): it is no longer sampled, and says so.
    /// </summary>
    internal void Fail(Exception e)
    {
        _lastError = e.Message;
        _state = SensorState.Degraded;
        _log.LogError(e, "sensor {Sensor} failed unexpectedly and is no longer sampled; the other sensors go on", _sensor.Id);
        Complete();
    }

    /// <summary>No more readings: the forwarder drains what is queued and ends.</summary>
    internal void Complete() => _channel.Writer.TryComplete();
}
