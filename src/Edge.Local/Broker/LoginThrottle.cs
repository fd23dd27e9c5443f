using System.Collections.Concurrent;
using System.Net;

namespace Edge.Local.Broker;

/// <summary>
/// Keeps password checks from becoming a denial of service: each PBKDF2 verification costs a Pi tens of milliseconds
/// of a core (<see cref="PasswordHash"/>). After Broker:LoginFailuresBeforeBackoff failures in a row from one address,
/// that address is refused without a check for Broker:LoginBackoff, doubling with every further failure up to
/// Broker:MaxLoginBackoff; a success forgets its failures. At most Broker:MaxConcurrentLogins checks run at once.
/// Thread-safe.
/// </summary>
public sealed class LoginThrottle(BrokerOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<IPAddress, Entry> _failures = new();
    private readonly SemaphoreSlim _checks = new(options.MaxConcurrentLogins, options.MaxConcurrentLogins);
    private long _lastSweep = time.GetTimestamp();

    /// <summary>How long <paramref name="address"/> must still wait before its next password check, or null when it may try now.</summary>
    public TimeSpan? Blocked(IPAddress address)
    {
        if (!_failures.TryGetValue(address, out var entry)) return null;
        lock (entry)
        {
            var left = entry.Until - time.GetUtcNow();
            return left > TimeSpan.Zero ? left : null;
        }
    }

    /// <summary>Runs one password check within the concurrency limit; null when the limit stayed busy for Broker:ConnectTimeout.</summary>
    public async Task<bool?> CheckAsync(Func<bool> verify, CancellationToken ct)
    {
        if (!await _checks.WaitAsync(options.ConnectTimeout, ct).ConfigureAwait(false)) return null;
        try
        {
            return verify();
        }
        finally
        {
            _checks.Release();
        }
    }

    public void Failed(IPAddress address)
    {
        Sweep();
        var entry = _failures.GetOrAdd(address, _ => new Entry());
        lock (entry)
        {
            entry.Count++;
            entry.Last = time.GetUtcNow();
            int beyond = entry.Count - options.LoginFailuresBeforeBackoff;
            if (beyond < 0) return;
            var backoff = options.LoginBackoff * Math.Pow(2, Math.Min(beyond, 20));
            entry.Until = time.GetUtcNow() + (backoff > options.MaxLoginBackoff ? options.MaxLoginBackoff : backoff);
        }
    }

    public void Succeeded(IPAddress address) => _failures.TryRemove(address, out _);

    // Addresses whose backoff ended long ago are forgotten, so guessing from many addresses cannot grow memory for ever.
    private void Sweep()
    {
        long last = Interlocked.Read(ref _lastSweep);
        if (time.GetElapsedTime(last) < TimeSpan.FromMinutes(1) || Interlocked.CompareExchange(ref _lastSweep, time.GetTimestamp(), last) != last) return;
        var now = time.GetUtcNow();
        foreach (var (address, entry) in _failures)
            lock (entry)
                if (entry.Until < now && now - entry.Last > options.MaxLoginBackoff) _failures.TryRemove(address, out _);
    }

    private sealed class Entry
    {
        public int Count { get; set; }

        public DateTimeOffset Until { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset Last { get; set; }
    }
}
