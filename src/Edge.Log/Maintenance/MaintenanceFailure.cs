namespace Edge.Log.Maintenance;

/// <summary>
/// A maintenance task that keeps failing for one partition (e.g. compaction meeting a corrupt batch): what, why, how
/// often, and when it is tried next. Other partitions and tasks go on meanwhile.
/// </summary>
public sealed record MaintenanceFailure(string Task, string Topic, int Partition, string Error, int Failures, DateTimeOffset FirstFailedAt,
    DateTimeOffset NextAttemptAt);
