namespace Edge.Log.Storage;

/// <summary>
/// Byte ranges of one segment found corrupt and stepped over (<see cref="Partition.SkipCorrupt"/>, FORMAT.md §7.5):
/// every cursor over the segment jumps from a range's start to its end, so one bad batch costs its own records and
/// not the partition's readability. In memory only: after a reopen the first read finds the bytes again and the
/// caller skips them again (their offsets stay lost; nothing is rewritten). Thread-safe: published copy-on-write.
/// </summary>
internal sealed class Quarantine
{
    private (long Start, long End)[] _ranges = [];

    public bool IsEmpty => Volatile.Read(ref _ranges).Length == 0;

    /// <summary>The end of the quarantined range that starts at <paramref name="position"/>, or -1.</summary>
    public long EndOf(long position)
    {
        foreach (var (start, end) in Volatile.Read(ref _ranges))
            if (start == position) return end;
        return -1;
    }

    public void Add(long start, long end)
    {
        while (true)
        {
            var current = Volatile.Read(ref _ranges);
            if (current.Any(r => r.Start == start)) return;
            var next = current.Append((start, end)).ToArray();
            if (Interlocked.CompareExchange(ref _ranges, next, current) == current) return;
        }
    }
}
