using System.Collections.Concurrent;

namespace Edge.Local.Status;

/// <summary>
/// The embedded broker's bounds at work, for status: open connections, connections and logins refused by reason,
/// sessions expired and messages not queued for disconnected clients. Thread-safe; all zero in client mode.
/// </summary>
public sealed class BrokerCounters
{
    private long _open;
    private long _sessionsExpired;
    private long _notQueued;

    /// <summary>Refusals by reason: <c>maxConnections</c>, <c>packetTooLarge</c>, <c>badLogin</c>, <c>loginBackoff</c>, <c>clientId</c>, ...</summary>
    public ConcurrentDictionary<string, long> Refused { get; } = new(StringComparer.Ordinal);

    public long Open => Interlocked.Read(ref _open);

    public long SessionsExpired => Interlocked.Read(ref _sessionsExpired);

    public long NotQueued => Interlocked.Read(ref _notQueued);

    public void Opened() => Interlocked.Increment(ref _open);

    public void Closed() => Interlocked.Decrement(ref _open);

    public void Refuse(string reason) => Refused.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void SessionExpired() => Interlocked.Increment(ref _sessionsExpired);

    public void MessageNotQueued() => Interlocked.Increment(ref _notQueued);
}
