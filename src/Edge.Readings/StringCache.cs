namespace Edge.Readings;

/// <summary>
/// A small per-thread cache of the strings a decoder keeps meeting — sensor ids, kinds, value names and units repeat
/// in every reading — so decoding a million readings does not allocate four million identical strings. Direct-mapped
/// by a hash of the bytes and verified byte for byte, so a collision only costs a miss.
/// </summary>
internal sealed class StringCache
{
    private const int Size = 256;

    [ThreadStatic]
    private static Entry[]? _entries;

    public string? Get(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 64) return null;
        var e = (_entries ??= new Entry[Size])[Slot(bytes)];
        return e.Bytes is { } b && bytes.SequenceEqual(b) ? e.Text : null;
    }

    public void Add(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length > 64) return;
        (_entries ??= new Entry[Size])[Slot(bytes)] = new Entry(bytes.ToArray(), text);
    }

    // FNV-1a: the strings are short, so a byte loop is as fast as anything fancier.
    private static int Slot(ReadOnlySpan<byte> bytes)
    {
        uint h = 2166136261;
        foreach (byte b in bytes) h = (h ^ b) * 16777619;
        return (int)(h % Size);
    }

    private readonly record struct Entry(byte[]? Bytes, string? Text);
}
