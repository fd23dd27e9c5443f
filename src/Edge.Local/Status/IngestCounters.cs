using System.Collections.Concurrent;

namespace Edge.Local.Status;

/// <summary>Ingest and query counters for status: what was accepted and what was refused, by reason.</summary>
public sealed class IngestCounters
{
    private long _accepted;
    private long _queries;

    public ConcurrentDictionary<string, long> Refused { get; } = new(StringComparer.Ordinal);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Queries => Interlocked.Read(ref _queries);

    public void Accept() => Interlocked.Increment(ref _accepted);

    public void Refuse(string reason) => Refused.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void Query() => Interlocked.Increment(ref _queries);
}
