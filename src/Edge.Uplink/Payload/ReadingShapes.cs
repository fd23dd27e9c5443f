using System.Runtime.CompilerServices;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>
/// The distinct shapes of the stored readings in one JSON batch (UPLINK.md §3.2): a shape is a sensor id, its kind and
/// its values' names and units in order, everything of a reading but its time, sequence number, quality and numbers.
/// <para>
/// A shape's key is those strings copied from the record as stored (READINGS.md §1: a <c>u8</c> length, then the
/// bytes; id and kind adjacent, each value's name and unit adjacent), then the value count: <c>[id][kind]([name][unit])*
/// count</c>. Readings of a partition come from a few sensors, interleaved, so the key is compared with the last few
/// shapes before it is hashed. Every record must have passed <see cref="StoredReading.IsValid"/>. Not thread-safe: one
/// per encoder.
/// </para>
/// </summary>
internal sealed class ReadingShapes
{
    private const int ScanLimit = 8;

    private readonly Dictionary<ReadOnlyMemory<byte>, int> _index = new(ByteKeyComparer.Instance);
    private readonly List<byte[]> _keys = [];
    // Large enough for any valid reading's strings: id and kind ≤ 64 bytes each, 32 × (name ≤ 32 + unit ≤ 16).
    private readonly byte[] _scratch = new byte[2 * 65 + Reading.MaxValues * (33 + 17) + 1];

    public int Count => _keys.Count;

    public ReadOnlySpan<byte> Key(int shape) => _keys[shape];

    /// <summary>The shape of <paramref name="data"/>, added as the next index when the batch has not seen it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int IndexOf(ReadOnlySpan<byte> data)
    {
        int length = KeyOf(data, _scratch);
        var key = _scratch.AsSpan(0, length);
        for (int k = _keys.Count - 1, seen = 0; k >= 0 && seen < ScanLimit; k--, seen++)
            if (key.SequenceEqual(_keys[k])) return k;
        if (_index.TryGetValue(_scratch.AsMemory(0, length), out int known)) return known;
        var copy = key.ToArray();
        _index.Add(copy, _keys.Count);
        _keys.Add(copy);
        return _keys.Count - 1;
    }

    /// <summary>Drops the shapes from <paramref name="count"/> on (added by a reading that did not fit the message).</summary>
    public void Forget(int count)
    {
        for (int k = _keys.Count - 1; k >= count; k--)
        {
            _index.Remove(_keys[k]);
            _keys.RemoveAt(k);
        }
    }

    public void Reset()
    {
        _index.Clear();
        _keys.Clear();
    }

    private static int KeyOf(ReadOnlySpan<byte> data, Span<byte> key)
    {
        int p = SensorAt(data), sensor = p;
        p += 1 + data[p];
        p += 1 + data[p];
        int n = 0;
        data[sensor..p].CopyTo(key);
        n += p - sensor;
        int count = data[p++];
        for (int i = 0; i < count; i++)
        {
            int name = p;
            p += 1 + data[p];
            p += 1 + data[p];
            data[name..p].CopyTo(key[n..]);
            n += p - name;
            p += 8; // the value
        }
        key[n++] = (byte)count;
        return n;
    }

    // After magic, version, quality, the sequence number's varint and the 8-byte time.
    private static int SensorAt(ReadOnlySpan<byte> data)
    {
        StoredReading.Sequence(data, out int time);
        return time + 8;
    }
}
