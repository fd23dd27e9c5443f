using Edge.Log;

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

    /// <summary>The last <paramref name="n"/> readings with this key in the partition, oldest first.</summary>
    public LatestResult Latest(string topic, int partition, ReadOnlySpan<byte> key, int n, long maxScan)
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
        return new LatestResult(found.Count > n ? found.GetRange(found.Count - n, n) : found, false, found.Count);
    }

    /// <summary>
    /// Readings in offsets [<paramref name="start"/>, <paramref name="end"/>) matching the key (null: any) and the
    /// inclusive time bounds, up to <paramref name="limit"/>, examining at most <paramref name="maxScan"/> records.
    /// </summary>
    public ScanPage Scan(string topic, int partition, byte[]? key, long start, long end, long? from, long? to, int limit, long maxScan)
    {
        var collector = new ReadingCollector(topic, partition, key, from, to, limit, maxScan);
        long next = log.Scan(topic, partition, start, end, collector);
        return new ScanPage(collector.Found, collector.Stopped && next < end ? next : null, collector.Scanned);
    }

    /// <summary>Offsets [start, end) of a time range in one partition (end includes <see cref="LateSlackMs"/>).</summary>
    public (long Start, long End) Bounds(string topic, int partition, long? from, long? to)
    {
        var info = log.GetPartitionInfo(topic, partition);
        long start = from is { } f ? log.OffsetForTimestamp(topic, partition, f) ?? info.HighWatermark : info.LogStartOffset;
        long end = to is { } t && t < long.MaxValue - LateSlackMs ? log.OffsetForTimestamp(topic, partition, t + LateSlackMs) ?? info.HighWatermark : info.HighWatermark;
        return (Math.Max(start, info.LogStartOffset), Math.Max(end, start));
    }
}
