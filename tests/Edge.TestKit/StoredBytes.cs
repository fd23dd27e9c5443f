namespace Edge.TestKit;

/// <summary>Corrupts a stored file in place, as a bad sector or a flipped bit on flash would.</summary>
public static class StoredBytes
{
    /// <summary>XORs the byte at <paramref name="position"/> of <paramref name="path"/> with <paramref name="mask"/> (non-zero: the byte changes).</summary>
    public static void Flip(string path, long position, byte mask)
    {
        ArgumentOutOfRangeException.ThrowIfZero(mask);
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = position;
        int b = f.ReadByte();
        if (b < 0) throw new ArgumentOutOfRangeException(nameof(position), $"{path} has no byte at {position}");
        f.Position = position;
        f.WriteByte((byte)(b ^ mask));
    }
}
