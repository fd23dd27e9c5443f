namespace Edge.Uplink.Flow;

/// <summary>
/// Admission to the uplink for every message of every partition: a window of QoS 1 messages awaiting PUBACK and two
/// token buckets (readings/s and bytes/s, each holding one second's worth) for the catch-up limit. Waiters are served
/// strictly by topic priority, then in arrival order, so a health alert queued behind hours of traffic backlog goes
/// out next. A lower-priority message never overtakes a higher-priority one waiting for tokens (that would starve it).
/// </summary>
public sealed class UplinkGate : IDisposable
{
    private readonly object _lock = new();
    // Few waiters (one per forwarder at most): a heap; cancelling one (rare) is a linear search.
    private readonly PriorityQueue<Waiter, (int NegativePriority, long Sequence)> _waiters = new();
    private readonly int _window;
    private readonly Bucket? _readings, _bytes;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private long _sequence;
    private int _inFlight;

    public UplinkGate(int window, double readingsPerSecond, double bytesPerSecond, TimeProvider time)
    {
        _window = window;
        _time = time;
        if (readingsPerSecond > 0) _readings = new Bucket(readingsPerSecond, time.GetTimestamp());
        if (bytesPerSecond > 0) _bytes = new Bucket(bytesPerSecond, time.GetTimestamp());
        _timer = time.CreateTimer(_ => Pump(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int InFlight
    {
        get { lock (_lock) return _inFlight; }
    }

    /// <summary>Waits for a window slot and the tokens for a message; higher <paramref name="priority"/> goes first.</summary>
    public Task AcquireAsync(int priority, int readings, int bytes, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        var waiter = new Waiter(readings, bytes);
        lock (_lock) _waiters.Enqueue(waiter, (-priority, _sequence++));
        Pump();
        return waiter.Completion.Task.IsCompleted ? waiter.Completion.Task : WaitAsync(waiter, cancellationToken);
    }

    // The slow path: one continuation when a slot frees (the waiter's completion runs asynchronously, off Release's caller).
    private async Task WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() =>
        {
            bool removed;
            lock (_lock) removed = _waiters.Remove(waiter, out _, out _, ReferenceEqualityComparer.Instance);
            if (removed) waiter.Completion.TrySetCanceled(cancellationToken);
            Pump();
        });
        await waiter.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Returns a window slot when a message's PUBACK arrived (or it failed).</summary>
    public void Release()
    {
        lock (_lock) _inFlight--;
        Pump();
    }

    private void Pump()
    {
        List<Waiter>? granted = null;
        TimeSpan? retry = null;
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            while (_waiters.Count > 0 && _inFlight < _window)
            {
                var head = _waiters.Peek();
                var wait = Max(_readings?.TimeUntil(head.Readings, now, _time), _bytes?.TimeUntil(head.Bytes, now, _time));
                if (wait > TimeSpan.Zero)
                {
                    retry = wait;
                    break;
                }
                _readings?.Take(head.Readings);
                _bytes?.Take(head.Bytes);
                _waiters.Dequeue();
                _inFlight++;
                (granted ??= []).Add(head);
            }
        }
        if (retry is { } r) _timer.Change(r, Timeout.InfiniteTimeSpan);
        if (granted is null) return;
        foreach (var w in granted) w.Completion.TrySetResult();
    }

    private static TimeSpan Max(TimeSpan? a, TimeSpan? b) => TimeSpan.FromTicks(Math.Max(a?.Ticks ?? 0, b?.Ticks ?? 0));

    public void Dispose() => _timer.Dispose();

    private sealed class Waiter(int readings, int bytes)
    {
        public int Readings { get; } = readings;

        public int Bytes { get; } = bytes;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A token bucket holding at most one second of its rate; a cost above that waits for a full bucket.</summary>
    private sealed class Bucket(double rate, long timestamp)
    {
        private readonly double _rate = rate;
        private double _tokens = rate;
        private long _last = timestamp;

        public TimeSpan TimeUntil(double cost, long now, TimeProvider time)
        {
            _tokens = Math.Min(_rate, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * _rate);
            _last = now;
            double need = Math.Min(cost, _rate) - _tokens;
            return need <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(need / _rate) + TimeSpan.FromMilliseconds(1);
        }

        public void Take(double cost) => _tokens -= cost;
    }
}
