namespace Edge.Streams.Windows;

/// <summary>
/// How readings are grouped in time (STREAMS.md §4): tumbling (Hop = Size), hopping (Hop &lt; Size: each reading is in
/// Size / Hop windows) or session (a key's window grows while readings come less than Gap apart). Window bounds are
/// aligned to the Unix epoch, so the same reading lands in the same windows on every run and every gateway.
/// </summary>
public sealed record WindowSpec(long SizeMs, long HopMs, long GapMs)
{
    public bool IsSession => GapMs > 0;

    public static WindowSpec Tumbling(TimeSpan size) => new((long)size.TotalMilliseconds, (long)size.TotalMilliseconds, 0);

    public static WindowSpec Hopping(TimeSpan size, TimeSpan hop) => new((long)size.TotalMilliseconds, (long)hop.TotalMilliseconds, 0);

    public static WindowSpec Session(TimeSpan gap) => new(0, 0, (long)gap.TotalMilliseconds);

    /// <summary>Starts of the fixed windows containing <paramref name="t"/>, oldest first.</summary>
    public void StartsFor(long t, List<long> starts)
    {
        starts.Clear();
        long last = t - Mod(t, HopMs);
        for (long s = last - ((SizeMs - 1) / HopMs) * HopMs; s <= last; s += HopMs)
            if (t >= s && t < s + SizeMs) starts.Add(s);
    }

    private static long Mod(long a, long b) => ((a % b) + b) % b;

    public override string ToString() => IsSession ? $"session (gap {GapMs} ms)" : HopMs == SizeMs ? $"tumbling {SizeMs} ms" : $"hopping {SizeMs} ms every {HopMs} ms";
}
