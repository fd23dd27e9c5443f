using System.Buffers.Binary;
using System.Text;

namespace Edge.Streams.Engine;

/// <summary>
/// The layout of a stored reading after its sensor id (READINGS.md §1: kind, value count, then name, unit and f64 per
/// value), learned from one record that passed <see cref="Edge.Readings.StoredReading.IsValid"/>. A sensor sends the
/// same kind with the same names and units every time, so the next record's tail is byte for byte this one's except
/// for the eight bytes of each value: when <see cref="Matches"/> says so, the kind, names and units are the ones
/// already validated and decoded here, and only the values need reading (and checking finite). Immutable.
/// </summary>
internal sealed class ReadingShape
{
    private readonly byte[] _template;

    private ReadingShape(byte[] template, string kind, string[] names, string[] units, int[] valueAt)
    {
        _template = template;
        Kind = kind;
        Names = names;
        Units = units;
        ValueAt = valueAt;
    }

    public string Kind { get; }

    public string[] Names { get; }

    public string[] Units { get; }

    /// <summary>Where each value's f64 starts, from the start of the tail (the kind's length byte).</summary>
    public int[] ValueAt { get; }

    /// <summary>The shape of <paramref name="tail"/>: a valid stored reading's bytes from its kind's length byte on; its strings through <paramref name="intern"/>.</summary>
    public static ReadingShape Of(ReadOnlySpan<byte> tail, Func<string, string> intern)
    {
        int p = 0;
        string kind = intern(Ascii(tail, ref p));
        int count = tail[p++];
        var names = new string[count];
        var units = new string[count];
        var at = new int[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = intern(Ascii(tail, ref p));
            units[i] = intern(Ascii(tail, ref p));
            at[i] = p;
            p += 8;
        }
        return new ReadingShape(tail.ToArray(), kind, names, units, at);
    }

    /// <summary>True when <paramref name="tail"/> equals the template outside the value bytes.</summary>
    public bool Matches(ReadOnlySpan<byte> tail)
    {
        if (tail.Length != _template.Length) return false;
        int from = 0;
        foreach (int at in ValueAt)
        {
            if (!tail[from..at].SequenceEqual(_template.AsSpan(from, at - from))) return false;
            from = at + 8;
        }
        return tail[from..].SequenceEqual(_template.AsSpan(from)); // empty unless the reading has no values
    }

    public static double Value(ReadOnlySpan<byte> tail, int at) => BinaryPrimitives.ReadDoubleLittleEndian(tail[at..]);

    // Every character a valid kind, name or unit may hold is ASCII (READINGS.md §1, ReadingRules).
    private static string Ascii(ReadOnlySpan<byte> data, ref int p)
    {
        int len = data[p++];
        string s = Encoding.ASCII.GetString(data.Slice(p, len));
        p += len;
        return s;
    }
}
