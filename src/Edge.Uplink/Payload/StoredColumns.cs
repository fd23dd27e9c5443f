using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Edge.Log;
using Edge.Readings;

namespace Edge.Uplink.Payload;

/// <summary>
/// Writes the uncompressed body of an "EB" version 1 batch (UPLINK.md §3.3) straight from readings in their stored
/// form (READINGS.md §1), without building a <c>Reading</c> per record: decoding every stored reading into strings
/// and arrays, then looking those strings up again, was most of the columnar batch's CPU. The output is byte for byte
/// what <see cref="BinaryBatchCodec.Encode"/> writes for the decoded readings (tested on random readings).
/// <para>
/// Why the stored strings can be copied as they are: READINGS.md stores a string as a <c>u8</c> length and ASCII bytes
/// (ids ≤ 64, names ≤ 32, units ≤ 16 bytes), and the batch as a varint length and UTF-8 — for lengths below 128 and
/// ASCII the same bytes. A sensor's id and kind are adjacent in a stored reading, and so are a value's name and unit,
/// so each sensors entry and each value-names entry is one contiguous span of the record, used as its table key.
/// </para>
/// Every record must have passed <c>StoredReading.IsValid</c>. Not thread-safe: one per encoder; the column arrays
/// and the body buffer are kept between messages.
/// </summary>
internal sealed class StoredColumns
{
    private const int DenseCells = 1 << 16;
    private const int ScanLimit = 8;

    private readonly Dictionary<ReadOnlyMemory<byte>, int> _sensors = new(ByteKeyComparer.Instance);
    private readonly Dictionary<ReadOnlyMemory<byte>, int> _names = new(ByteKeyComparer.Instance);
    private readonly List<ReadOnlyMemory<byte>> _sensorKeys = [], _nameKeys = [];
    private readonly List<int[]> _namesOfSensor = [], _spareNameCaches = [];
    private int[] _sensorOf = [], _valueCount = [], _nameOf = [];
    private long[] _ticks = [], _seq = [];
    private byte[] _quality = [];
    private ulong[] _bits = [];
    private ColumnWriter _body = new(64 * 1024);

    /// <summary>The body for <paramref name="count"/> records from <paramref name="start"/>; valid until the next call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> Write(IdempotencyKey key, IReadOnlyList<LogRecord> records, int start, int count)
    {
        Reset(count);
        int values = 0;
        ReadOnlySpan<byte> lastSensor = default;
        int lastSensorIndex = -1;
        for (int i = 0; i < count; i++)
        {
            var memory = records[start + i].Value!.Value;
            var data = memory.Span;
            _quality[i] = data[2];
            _seq[i] = (long)StoredReading.Sequence(data, out int p);
            _ticks[i] = BinaryPrimitives.ReadInt64LittleEndian(data[p..]);
            p += 8;
            int sensorAt = p;
            p += 1 + data[p];
            p += 1 + data[p];
            var sensor = data[sensorAt..p];
            // A partition holds a few sensors, interleaved: comparing with the last one and then the few known ones is
            // cheaper than hashing each reading's id and kind.
            if (!sensor.SequenceEqual(lastSensor))
            {
                lastSensorIndex = -1;
                for (int k = 0; k < _sensorKeys.Count && k < ScanLimit; k++)
                    if (_sensorKeys[k].Span.SequenceEqual(sensor)) { lastSensorIndex = k; break; }
                if (lastSensorIndex < 0) lastSensorIndex = IndexOf(_sensors, _sensorKeys, memory[sensorAt..p]);
                if (lastSensorIndex == _namesOfSensor.Count) _namesOfSensor.Add(NewNameCache());
                lastSensor = sensor;
            }
            var namesOfSensor = _namesOfSensor[lastSensorIndex];
            _sensorOf[i] = lastSensorIndex;
            int n = data[p++];
            _valueCount[i] = n;
            Grow(ref _nameOf, values + n);
            Grow(ref _bits, values + n);
            for (int j = 0; j < n; j++, values++)
            {
                int nameAt = p;
                p += 1 + data[p];
                p += 1 + data[p];
                // A sensor names its values the same way in every reading: try the name its last reading had here.
                int name = namesOfSensor[j];
                if (name < 0 || !_nameKeys[name].Span.SequenceEqual(data[nameAt..p])) namesOfSensor[j] = name = IndexOf(_names, _nameKeys, memory[nameAt..p]);
                _nameOf[values] = name;
                _bits[values] = BinaryPrimitives.ReadUInt64LittleEndian(data[p..]);
                p += 8;
            }
        }

        ref var body = ref _body;
        body.Reset();
        body.String(key.Gateway);
        body.String(key.Topic);
        body.Varint((ulong)key.Partition);
        body.Varint((ulong)key.First);
        body.Varint((ulong)count);
        body.Varint((ulong)_sensorKeys.Count);
        foreach (var k in _sensorKeys) body.Bytes(k.Span); // [len][id][len][kind]: the two strings of the entry
        body.Varint((ulong)_nameKeys.Count);
        foreach (var k in _nameKeys) body.Bytes(k.Span);
        for (int i = 0; i < count; i++) body.Varint((ulong)_sensorOf[i]);
        long previousTicks = 0;
        for (int i = 0; i < count; i++)
        {
            body.Varint(ZigZag(_ticks[i] - previousTicks));
            previousTicks = _ticks[i];
        }
        for (int i = 0; i < count; i++) body.Byte(_quality[i]);
        var lastSeq = new long[_sensorKeys.Count];
        for (int i = 0; i < count; i++)
        {
            ref long previous = ref lastSeq[_sensorOf[i]];
            body.Varint(ZigZag(_seq[i] - previous));
            previous = _seq[i];
        }
        for (int i = 0; i < count; i++) body.Varint((ulong)_valueCount[i]);
        for (int v = 0; v < values; v++) body.Varint((ulong)_nameOf[v]);
        // Previous value per (sensors entry, value-names entry), as in BinaryBatchCodec: dense for the usual few, sparse
        // when ingested readings bring many sensors and names.
        long cells = (long)_sensorKeys.Count * _nameKeys.Count;
        var lastBits = cells <= DenseCells ? new ulong[cells] : null;
        var sparseBits = lastBits is null ? new Dictionary<long, ulong>() : null;
        for (int i = 0, v = 0; i < count; i++)
        {
            long row = (long)_sensorOf[i] * _nameKeys.Count;
            for (int j = 0; j < _valueCount[i]; j++, v++)
            {
                long cell = row + _nameOf[v];
                ref ulong previous = ref lastBits is not null ? ref lastBits[cell] : ref CollectionsMarshal.GetValueRefOrAddDefault(sparseBits!, cell, out _);
                body.UInt64BigEndian(_bits[v] ^ previous);
                previous = _bits[v];
            }
        }
        return body.Written;
    }

    private void Reset(int count)
    {
        _sensors.Clear();
        _names.Clear();
        _sensorKeys.Clear();
        _nameKeys.Clear();
        _spareNameCaches.AddRange(_namesOfSensor);
        _namesOfSensor.Clear();
        Grow(ref _sensorOf, count);
        Grow(ref _valueCount, count);
        Grow(ref _ticks, count);
        Grow(ref _seq, count);
        Grow(ref _quality, count);
    }

    /// <summary>Per sensors entry: the value-names index its last reading had at each value position (−1: none yet).</summary>
    private int[] NewNameCache()
    {
        int[] cache;
        if (_spareNameCaches.Count > 0)
        {
            cache = _spareNameCaches[^1];
            _spareNameCaches.RemoveAt(_spareNameCaches.Count - 1);
        }
        else cache = new int[Reading.MaxValues];
        Array.Fill(cache, -1);
        return cache;
    }

    private static int IndexOf(Dictionary<ReadOnlyMemory<byte>, int> table, List<ReadOnlyMemory<byte>> keys, ReadOnlyMemory<byte> key)
    {
        ref int index = ref CollectionsMarshal.GetValueRefOrAddDefault(table, key, out bool exists);
        if (!exists)
        {
            index = keys.Count;
            keys.Add(key); // a slice of the record: the records outlive the call
        }
        return index;
    }

    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length) Array.Resize(ref array, Math.Max(length, array.Length * 2));
    }

    private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));
}
