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

    /// <summary>
    /// The last <paramref name="n"/> readings with this key in the partition, oldest first, examining at most
    /// <paramref name="maxScan"/> records: windows read backwards from the high watermark grow ×4 (a sensor that
    /// reported recently is found in the first), each is scanned forwards keeping only the readings still needed.
    /// </summary>
    public LatestResult Latest(string topic, int partition, ReadOnlySpan<byte> key, int n, long maxScan)
    {
        var info = log.GetPartitionInfo(topic, partition);
        var keyBytes = key.ToArray();
        var found = new List<FoundReading>(Math.Min(n, 1024));
        long end = info.HighWatermark, window = Math.Max(1024, n * 8L), scanned = 0;
        int mostHeld = 0;
        while (end > info.LogStartOffset && found.Count < n)
        {
            if (scanned >= maxScan) return new LatestResult(found, true, mostHeld);
            long start = Math.Max(info.LogStartOffset, end - Math.Min(window, maxScan - scanned));
            var collector = new LastReadingsCollector(topic, partition, keyBytes, n - found.Count);
            log.Scan(topic, partition, start, end, collector);
            scanned += collector.Scanned;
            mostHeld = Math.Max(mostHeld, found.Count + collector.Count);
            found.InsertRange(0, collector.Kept());
            end = start;
            window = window > long.MaxValue / 4 ? long.MaxValue : window * 4;
        }
        return new LatestResult(found, false, mostHeld);
    }

    /// <summary>
    /// Readings in offsets [<paramref name="start"/>, <paramref name="end"/>) matching the key (null: any) and the
    /// inclusive time bounds (and the reading kind, when given), up to <paramref name="limit"/>, examining at most
    /// <paramref name="maxScan"/> records.
    /// </summary>
    public ScanPage Scan(string topic, int partition, byte[]? key, long start, long end, long? from, long? to, int limit, long maxScan, string? kind = null)
    {
        var collector = new ReadingCollector(topic, partition, key, from, to, limit, maxScan, kind);
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
