using System.Collections.Concurrent;

namespace Edge.Local.Query;

/// <summary>
/// A token bucket per client id: <c>rate</c> queries per second sustained, <c>burst</c> at once. Buckets of clients
/// idle for a minute are forgotten so a stream of new client ids cannot grow memory.
/// </summary>
public sealed class ClientRateLimiter(double rate, int burst, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private long _lastSweep = time.GetTimestamp();

    public bool TryAcquire(string clientId)
    {
        long now = time.GetTimestamp();
        Sweep(now);
        var bucket = _buckets.GetOrAdd(clientId, _ => new Bucket(burst, now));
        lock (bucket)
        {
            double elapsed = time.GetElapsedTime(bucket.At, now).TotalSeconds;
            bucket.Tokens = Math.Min(burst, bucket.Tokens + elapsed * rate);
            bucket.At = now;
            if (bucket.Tokens < 1) return false;
            bucket.Tokens -= 1;
            return true;
        }
    }

    private void Sweep(long now)
    {
        long last = Interlocked.Read(ref _lastSweep);
        if (time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(60) || Interlocked.CompareExchange(ref _lastSweep, now, last) != last) return;
        foreach (var (id, b) in _buckets)
            if (time.GetElapsedTime(b.At, now) > TimeSpan.FromSeconds(60)) _buckets.TryRemove(id, out _);
    }

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens { get; set; } = tokens;

        public long At { get; set; } = at;
    }
}
