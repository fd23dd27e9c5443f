namespace Edge.Log.Maintenance;

/// <summary>What one maintenance pass did, and which partitions' tasks are failing (retried with back-off).</summary>
public sealed record MaintenanceReport(int RetentionDeletedSegments, int CompactedSegments, long CompactedRecords, int EvictedSegments, bool BudgetBlocking,
    IReadOnlyList<MaintenanceFailure> Failures);
