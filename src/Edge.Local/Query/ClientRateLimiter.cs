using System.Collections.Concurrent;

namespace Edge.Local.Query;

/// <summary>
/// A token bucket per client id: <c>rate</c> requests per second sustained, <c>burst</c> at once, without queueing.
/// Buckets refill lazily, when their client next asks, by what the time since its last request earned (fractional
/// tokens, so rates below one a second work), and a bucket that would be full again is dropped at the next sweep
/// (at most every <see cref="SweepInterval"/>, run by a request), so a stream of new client ids cannot grow memory.
/// <para>No timer: System.Threading.RateLimiting's partitioned limiter replenishes from its own 100 ms timer for the
/// life of the process, and the gateway's two limiters (queries, ingest) woke an idle gateway's timer thread and a
/// pool worker 20 times a second with nobody connected (issue 11 §4; tests/Edge.Benchmarks/BENCHMARKS.md "Footprint
/// at rest"). Thread-safe; a request racing the sweep that drops its client's bucket may get one token more.</para>
/// </summary>
public sealed class ClientRateLimiter
{
    /// <summary>How often a request also drops the buckets that have refilled (and so say nothing a new one would not).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly double _rate;
    private readonly int _burst;
    private readonly TimeProvider _time;
    private long _nextSweep;

    public ClientRateLimiter(double rate, int burst, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rate, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        (_rate, _burst, _time) = (rate, burst, time ?? TimeProvider.System);
        _nextSweep = _time.GetTimestamp() + Ticks(SweepInterval);
    }

    /// <summary>Buckets held now (tests: memory stays bounded).</summary>
    internal int Clients => _buckets.Count;

    /// <summary>Takes one token from <paramref name="clientId"/>'s bucket; false when it is empty.</summary>
    public bool TryAcquire(string clientId)
    {
        long now = _time.GetTimestamp();
        if (now >= Interlocked.Read(ref _nextSweep)) Sweep(now);
        var bucket = _buckets.GetOrAdd(clientId, static (_, state) => new Bucket(state.Burst, state.Now), (Burst: _burst, Now: now));
        lock (bucket)
        {
            bucket.Refill(now, _rate, _burst, _time);
            if (bucket.Tokens < 1) return false;
            bucket.Tokens -= 1;
            return true;
        }
    }

    private void Sweep(long now)
    {
        long due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + Ticks(SweepInterval), due) != due) return; // another request sweeps
        foreach (var (client, bucket) in _buckets)
        {
            bool full;
            lock (bucket)
            {
                bucket.Refill(now, _rate, _burst, _time);
                full = bucket.Tokens >= _burst;
            }
            if (full) _buckets.TryRemove(new KeyValuePair<string, Bucket>(client, bucket));
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens = tokens;
        private long _stamp = stamp;

        public void Refill(long now, double rate, int burst, TimeProvider time)
        {
            if (now <= _stamp) return;
            Tokens = Math.Min(burst, Tokens + time.GetElapsedTime(_stamp, now).TotalSeconds * rate);
            _stamp = now;
        }
    }
}
