namespace Edge.Log;

/// <summary>
/// The log's disk use against its budget, as of the last budget check (FORMAT.md §7.3) — for status messages.
/// </summary>
/// <param name="UsedBytes">Segment bytes on disk.</param>
/// <param name="BudgetBytes">The budget in force: the configured one, lowered to what the file system can hold minus the reserve.</param>
/// <param name="ConfiguredBudgetBytes">LogOptions.DiskBudgetBytes; 0 = auto (the file system alone sets the budget).</param>
/// <param name="ReserveBytes">Space left free for the rest of the system.</param>
/// <param name="FileSystemAvailableBytes">Free space statvfs reported at the check; null when it could not be read.</param>
/// <param name="BudgetBlocking">Over budget with nothing left to evict: appends to Block topics wait.</param>
/// <param name="DiskFullPartitions">"topic/partition" of every partition whose write found the disk full and waits for space.</param>
/// <param name="DiskFullEvents">How many times a partition's write found the disk full since the log opened.</param>
/// <param name="EvictedRecords">Records the budget evicted since the log opened.</param>
public sealed record DiskUsage(long UsedBytes, long BudgetBytes, long ConfiguredBudgetBytes, long ReserveBytes, long? FileSystemAvailableBytes,
    bool BudgetBlocking, IReadOnlyList<string> DiskFullPartitions, long DiskFullEvents, long EvictedRecords)
{
    /// <summary>"disk-full" (a write waits for space), "blocked" (Block topics wait), or "ok".</summary>
    public string State => DiskFullPartitions.Count > 0 ? "disk-full" : BudgetBlocking ? "blocked" : "ok";
}
