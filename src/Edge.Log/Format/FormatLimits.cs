namespace Edge.Log.Format;

/// <summary>Hard limits of format version 1 (FORMAT.md §1).</summary>
internal static class FormatLimits
{
    /// <summary>No batch is longer than this; a length field above it marks corruption.</summary>
    public const int MaxBatchBytes = 16 << 20;

    /// <summary>Largest record <see cref="LogOptions.MaxRecordBytes"/> may allow (a record must fit a batch).</summary>
    public const int MaxRecordBytes = 8 << 20;

    /// <summary>Relative offsets and positions in index entries are 32-bit: a segment stays below these.</summary>
    public const long MaxSegmentBytes = int.MaxValue;
}
