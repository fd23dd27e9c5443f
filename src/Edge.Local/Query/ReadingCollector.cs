using Edge.Log;
using Edge.Readings;

namespace Edge.Local.Query;

/// <summary>
/// The filter of one <see cref="ReadingScanner.Scan"/>: compares time and key on the stored record (spans over the
/// log's read buffer) and decodes only the values that match, so the other sensors sharing the partition cost a
/// few byte comparisons each. Stops at the page limit or the record budget.
/// </summary>
internal sealed class ReadingCollector(string topic, int partition, byte[]? key, long? from, long? to, int limit, long maxScan, string? kind = null) : IRecordVisitor
{
    public List<FoundReading> Found { get; } = [];

    public long Scanned { get; private set; }

    /// <summary>True when the limit or the budget ended the scan (rather than the end of the range).</summary>
    public bool Stopped { get; private set; }

    public bool Visit(in RecordView record)
    {
        Scanned++;
        if (Matches(record) && TryDecode(record.Value, out var reading) && (kind is null || reading.Kind == kind))
            Found.Add(new FoundReading(topic, partition, record.Offset, reading));
        Stopped = Found.Count >= limit || Scanned >= maxScan;
        return !Stopped;
    }

    private bool Matches(in RecordView rec)
    {
        if (!rec.HasValue) return false;
        if (from is { } f && rec.Timestamp < f) return false;
        if (to is { } t && rec.Timestamp > t) return false;
        return key is null || (rec.HasKey && rec.Key.SequenceEqual(key));
    }

    private static bool TryDecode(ReadOnlySpan<byte> value, out Reading reading)
    {
        try
        {
            reading = ReadingBinaryCodec.Decode(value);
            return true;
        }
        catch (ReadingFormatException)
        {
            // Not a reading (e.g. a dead-lettered batch): a query only returns readings.
            reading = null!;
            return false;
        }
    }
}
