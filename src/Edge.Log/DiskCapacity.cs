namespace Edge.Log;

/// <summary>
/// How much disk the log may use (FORMAT.md §7.3): the configured budget, but never more than the file system can
/// hold for it — what the log's segments use now plus what is still free, minus a reserve left for the rest of the
/// system. Pure arithmetic, shared by the log and by start-up checks.
/// </summary>
public static class DiskCapacity
{
    /// <summary>The reserve when none is configured: 5 % of the file system, at least 1 MiB and at most 1 GiB.</summary>
    public static long AutoReserve(long fileSystemBytes) => Math.Clamp(fileSystemBytes / 20, 1L << 20, 1L << 30);

    /// <summary>Smallest active-segment limit the budget imposes (FORMAT.md §7.3): below it rolls would cost more than they save.</summary>
    public const long MinSegmentLimit = 64 << 10;

    /// <summary>The reserve in force: <paramref name="configuredReserve"/> when ≥ 0, else <see cref="AutoReserve"/>.</summary>
    public static long Reserve(long configuredReserve, long fileSystemBytes) => configuredReserve >= 0 ? configuredReserve : AutoReserve(fileSystemBytes);

    /// <summary>
    /// min(configured (0 = none), used + available − reserve), never negative. <paramref name="usedBytes"/> is what the
    /// log's segments occupy, so the log may grow into the free space, less the reserve.
    /// </summary>
    public static long EffectiveBudget(long configuredBudget, long usedBytes, long availableBytes, long reserveBytes)
    {
        long fileSystem = Math.Max(0, usedBytes + availableBytes - reserveBytes);
        return configuredBudget > 0 ? Math.Min(configuredBudget, fileSystem) : fileSystem;
    }

    /// <summary>
    /// Largest active segment while the budget is <paramref name="budget"/> over <paramref name="partitions"/> partitions:
    /// a quarter of the budget shared among them, so the segments that cannot be evicted (FORMAT.md invariant 7) never
    /// hold more than a quarter of it, and the rest stays in sealed segments that can.
    /// </summary>
    public static long SegmentLimit(long budget, int partitions) => Math.Max(MinSegmentLimit, budget / (4L * Math.Max(1, partitions)));

    /// <summary>The least budget a log of <paramref name="partitions"/> partitions can work in: two minimal segments each.</summary>
    public static long MinimumBudget(int partitions) => 2 * MinSegmentLimit * Math.Max(1, partitions);
}
