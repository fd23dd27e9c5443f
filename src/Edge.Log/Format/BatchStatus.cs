namespace Edge.Log.Format;

/// <summary>What a scan found at a position in a segment file.</summary>
internal enum BatchStatus
{
    /// <summary>A complete batch whose checksum matches.</summary>
    Valid,

    /// <summary>No more data: end of file, or zero bytes where a batch would start.</summary>
    End,

    /// <summary>A batch header that promises more bytes than the file holds (a torn write).</summary>
    Truncated,

    /// <summary>Bytes that are not a valid batch (bad magic, length or checksum).</summary>
    Corrupt,

    /// <summary>A valid checksum but a format version this build does not know.</summary>
    UnsupportedVersion,
}
