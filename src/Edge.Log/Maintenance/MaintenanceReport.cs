namespace Edge.Log.Maintenance;

/// <summary>What one maintenance pass did.</summary>
public sealed record MaintenanceReport(int RetentionDeletedSegments, int CompactedSegments, long CompactedRecords, int EvictedSegments, bool BudgetBlocking);
