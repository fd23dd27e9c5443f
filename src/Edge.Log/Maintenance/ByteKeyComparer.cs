namespace Edge.Log.Maintenance;

/// <summary>Compares record keys by content.</summary>
internal sealed class ByteKeyComparer : IEqualityComparer<byte[]>
{
    public static ByteKeyComparer Instance { get; } = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var h = new HashCode();
        h.AddBytes(obj);
        return h.ToHashCode();
    }
}
