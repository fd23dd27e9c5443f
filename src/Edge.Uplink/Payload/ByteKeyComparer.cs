namespace Edge.Uplink.Payload;

/// <summary>Byte-content equality for table keys that are byte strings (slices of stored records, shape keys).</summary>
internal sealed class ByteKeyComparer : IEqualityComparer<ReadOnlyMemory<byte>>
{
    public static readonly ByteKeyComparer Instance = new();

    public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

    public int GetHashCode(ReadOnlyMemory<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key.Span);
        return hash.ToHashCode();
    }
}
