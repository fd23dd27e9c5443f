using Edge.Log;
using Edge.Readings;

namespace Edge.Local.Query;

/// <summary>
/// Reads readings out of the log for queries, touching only what a query needs: the time index finds where a range
/// starts (<see cref="EdgeLog.OffsetForTimestamp"/>), <c>latest</c> reads backwards from the high watermark in
/// growing windows, and every scan is bounded by a record budget so no request can read a whole partition in one go.
/// Records are filtered by key (the sensor id) before their value is decoded.
/// </summary>
public sealed class ReadingScanner(EdgeLog log)
{
    /// <summary>How far past "to" a range looks for late records of other sensors sharing the partition (clock skew between sensors).</summary>
    public static readonly long LateSlackMs = 60_000;

    private const int ReadBytes = 1 << 20;

    /// <summary>The last <paramref name="n"/> readings with this key in the partition, oldest first.</summary>
    public List<FoundReading> Latest(string topic, int partition, ReadOnlySpan<byte> key, int n, long maxScan)
    {
        var info = log.GetPartitionInfo(topic, partition);
        var keyBytes = key.ToArray();
        var found = new List<FoundReading>();
        long end = info.HighWatermark, window = Math.Max(1024, n * 8L), scanned = 0;
        while (end > info.LogStartOffset && found.Count < n && scanned < maxScan)
        {
            long start = Math.Max(info.LogStartOffset, end - window);
            var page = Scan(topic, partition, keyBytes, start, end, null, null, int.MaxValue, long.MaxValue);
            scanned += page.Scanned;
            found.InsertRange(0, page.Readings);
            end = start;
            window *= 4;
        }
        return found.Count > n ? found.GetRange(found.Count - n, n) : found;
    }

    /// <summary>
    /// Readings in offsets [<paramref name="start"/>, <paramref name="end"/>) matching the key (null: any) and the
    /// inclusive time bounds, up to <paramref name="limit"/>, examining at most <paramref name="maxScan"/> records.
    /// </summary>
    public ScanPage Scan(string topic, int partition, byte[]? key, long start, long end, long? from, long? to, int limit, long maxScan)
    {
        var found = new List<FoundReading>();
        long offset = start, scanned = 0;
        while (offset < end)
        {
            var result = log.Read(topic, partition, offset, ReadBytes);
            if (result.Records.Count == 0)
            {
                // Below the log start (retention removed it) the read skips ahead; at the high watermark we are done.
                if (result.NextOffset > offset && result.NextOffset < end) { offset = result.NextOffset; continue; }
                return new ScanPage(found, null, scanned);
            }
            foreach (var rec in result.Records)
            {
                if (rec.Offset < offset) continue;
                if (rec.Offset >= end) return new ScanPage(found, null, scanned);
                scanned++;
                offset = rec.Offset + 1;
                if (Matches(rec, key, from, to) && TryDecode(rec, out var reading))
                {
                    found.Add(new FoundReading(topic, partition, rec.Offset, reading));
                    if (found.Count >= limit) return new ScanPage(found, offset < end ? offset : null, scanned);
                }
                if (scanned >= maxScan) return new ScanPage(found, offset < end ? offset : null, scanned);
            }
            offset = Math.Max(offset, result.NextOffset);
        }
        return new ScanPage(found, null, scanned);
    }

    /// <summary>Offsets [start, end) of a time range in one partition (end includes <see cref="LateSlackMs"/>).</summary>
    public (long Start, long End) Bounds(string topic, int partition, long? from, long? to)
    {
        var info = log.GetPartitionInfo(topic, partition);
        long start = from is { } f ? log.OffsetForTimestamp(topic, partition, f) ?? info.HighWatermark : info.LogStartOffset;
        long end = to is { } t && t < long.MaxValue - LateSlackMs ? log.OffsetForTimestamp(topic, partition, t + LateSlackMs) ?? info.HighWatermark : info.HighWatermark;
        return (Math.Max(start, info.LogStartOffset), Math.Max(end, start));
    }

    private static bool Matches(in LogRecord rec, byte[]? key, long? from, long? to)
    {
        if (rec.Value is null) return false;
        if (from is { } f && rec.Timestamp < f) return false;
        if (to is { } t && rec.Timestamp > t) return false;
        return key is null || (rec.Key is { } k && k.Span.SequenceEqual(key));
    }

    private static bool TryDecode(in LogRecord rec, out Reading reading)
    {
        try
        {
            reading = ReadingBinaryCodec.Decode(rec.Value!.Value.Span);
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
