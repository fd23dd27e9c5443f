using Edge.Log.Format;

namespace Edge.Log.Storage;

/// <summary>Outcome of scanning a segment: where valid data ends and why the scan stopped there.</summary>
internal readonly record struct ScanResult(
    long ValidEnd,
    long NextOffset,
    long MaxTimestamp,
    BatchStatus StopStatus,
    string Reason,
    int Batches);
