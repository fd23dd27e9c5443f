namespace Edge.Log.Storage;

/// <summary>What opening a segment had to repair; logged by the partition and counted in metrics.</summary>
internal readonly record struct RecoveryReport(
    string File,
    bool Clean,
    long ScannedFrom,
    long TruncatedAt,
    long BytesDropped,
    string Reason,
    string? IndexProblem);
