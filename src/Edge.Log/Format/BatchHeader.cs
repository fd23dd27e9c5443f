using System.Buffers.Binary;

namespace Edge.Log.Format;

/// <summary>
/// The fixed 40-byte header of a record batch (FORMAT.md §4.1), little-endian. A 4-byte CRC32C trailer closes the batch.
/// </summary>
internal readonly record struct BatchHeader(
    byte Version,
    ushort Attributes,
    int Length,
    long BaseOffset,
    int LastOffsetDelta,
    int RecordCount,
    long FirstTimestamp,
    long MaxTimestamp)
{
    public const byte Magic = 0xEB;
    public const byte CurrentVersion = 1;
    public const int Size = 40;
    public const int TrailerSize = 4;
    public const int Overhead = Size + TrailerSize;

    public long LastOffset => BaseOffset + LastOffsetDelta;

    public long NextOffset => LastOffset + 1;

    public void Write(Span<byte> dst)
    {
        dst[0] = Magic;
        dst[1] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(dst[2..], Attributes);
        BinaryPrimitives.WriteInt32LittleEndian(dst[4..], Length);
        BinaryPrimitives.WriteInt64LittleEndian(dst[8..], BaseOffset);
        BinaryPrimitives.WriteInt32LittleEndian(dst[16..], LastOffsetDelta);
        BinaryPrimitives.WriteInt32LittleEndian(dst[20..], RecordCount);
        BinaryPrimitives.WriteInt64LittleEndian(dst[24..], FirstTimestamp);
        BinaryPrimitives.WriteInt64LittleEndian(dst[32..], MaxTimestamp);
    }

    /// <summary>Parses the header fields without judging them; see <see cref="BatchValidator"/>.</summary>
    public static BatchHeader Read(ReadOnlySpan<byte> src) => new(
        src[1],
        BinaryPrimitives.ReadUInt16LittleEndian(src[2..]),
        BinaryPrimitives.ReadInt32LittleEndian(src[4..]),
        BinaryPrimitives.ReadInt64LittleEndian(src[8..]),
        BinaryPrimitives.ReadInt32LittleEndian(src[16..]),
        BinaryPrimitives.ReadInt32LittleEndian(src[20..]),
        BinaryPrimitives.ReadInt64LittleEndian(src[24..]),
        BinaryPrimitives.ReadInt64LittleEndian(src[32..]));
}
