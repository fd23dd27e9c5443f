namespace Edge.Log;

/// <summary>
/// Offsets of a partition lost to corrupt bytes, as <see cref="EdgeLog.SkipCorrupt"/> found and stepped over them
/// (FORMAT.md §7.5): [<paramref name="FirstOffset"/>, <paramref name="NextOffset"/>) cannot be read; reading goes on
/// at <paramref name="NextOffset"/>. Empty (First = Next) when the bad bytes held no offset the reader still needed.
/// </summary>
/// <param name="File">The segment file holding the bad bytes.</param>
/// <param name="Position">Byte position of the first bad batch in <paramref name="File"/>.</param>
/// <param name="Bytes">Bytes stepped over, from <paramref name="Position"/>.</param>
/// <param name="Reason">Why the bytes failed validation (FORMAT.md §4.3), e.g. a CRC mismatch.</param>
public sealed record CorruptRange(long FirstOffset, long NextOffset, string File, long Position, long Bytes, string Reason)
{
    public long Count => NextOffset - FirstOffset;

    public override string ToString() => Count > 0
        ? $"offsets {FirstOffset}-{NextOffset - 1} unreadable: corrupt batch in {File} at byte {Position} ({Bytes} bytes skipped): {Reason}"
        : $"corrupt batch in {File} at byte {Position} ({Bytes} bytes skipped, no offsets lost): {Reason}";
}
