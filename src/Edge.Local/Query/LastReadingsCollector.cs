using Edge.Log;
using Edge.Readings;

namespace Edge.Local.Query;

/// <summary>
/// The filter of one <c>latest</c> window: keeps only the last <c>capacity</c> readings with the key, in a ring, so a
/// window full of one sensor's readings (a sensor that was busy long ago) costs n readings of memory, not the window.
/// </summary>
internal sealed class LastReadingsCollector(string topic, int partition, byte[] key, int capacity) : IRecordVisitor
{
    private readonly FoundReading[] _ring = new FoundReading[capacity];
    private int _next;

    public long Scanned { get; private set; }

    public int Count { get; private set; }

    public bool Visit(in RecordView record)
    {
        Scanned++;
        if (!record.HasValue || !record.HasKey || !record.Key.SequenceEqual(key)) return true;
        try
        {
            _ring[_next] = new FoundReading(topic, partition, record.Offset, ReadingBinaryCodec.Decode(record.Value));
        }
        catch (ReadingFormatException)
        {
            return true; // not a reading (e.g. a dead-lettered batch): a query only returns readings
        }
        _next = (_next + 1) % _ring.Length;
        Count = Math.Min(Count + 1, _ring.Length);
        return true;
    }

    /// <summary>The kept readings, oldest first.</summary>
    public IEnumerable<FoundReading> Kept()
    {
        int first = Count < _ring.Length ? 0 : _next;
        for (int i = 0; i < Count; i++) yield return _ring[(first + i) % _ring.Length];
    }
}
