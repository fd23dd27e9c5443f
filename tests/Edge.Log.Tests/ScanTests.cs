using System.Text;
using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

/// <summary><see cref="EdgeLog.Scan"/> must see exactly what <see cref="EdgeLog.Read"/> returns, through any bounds.</summary>
public class ScanTests
{
    [Fact]
    public async Task Scan_visits_exactly_the_records_Read_returns_for_any_bounds_across_segments_and_batches()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(new LogOptions { Directory = dir.Path, IndexIntervalBytes = 256 });
        log.CreateTopic(new TopicConfig("t") { SegmentBytes = 4096, Flush = FlushPolicy.None });
        // Batches of varying size (one per group commit), null keys, empty keys, tombstones and headers.
        var random = new Random(5);
        int offset = 0;
        while (offset < 2000)
        {
            int n = random.Next(1, 40);
            var appends = Enumerable.Range(offset, n).Select(i => log.AppendAsync("t", Record(i), 0).AsTask()).ToList();
            await Task.WhenAll(appends);
            offset += n;
        }
        long hw = log.GetPartitionInfo("t", 0).HighWatermark;
        var all = ReadAll(log, 0, hw);
        Assert.Equal(hw, all.Count);
        Assert.True(log.GetPartitionInfo("t", 0).Segments > 10);
        for (int trial = 0; trial < 200; trial++)
        {
            long start = random.NextInt64(0, hw + 5), end = random.NextInt64(start, hw + 50);
            var visitor = new Collect(stopAfter: int.MaxValue);
            long next = log.Scan("t", 0, start, end, visitor);
            Assert.Equal(all.Where(r => r.Offset >= start && r.Offset < end).ToList(), visitor.Seen);
            Assert.Equal(Math.Max(start, Math.Min(end, hw)), next);
        }
    }

    [Fact]
    public async Task A_visitor_that_stops_gets_the_offset_to_resume_at_and_resuming_misses_nothing()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(new LogOptions { Directory = dir.Path });
        log.CreateTopic(new TopicConfig("t") { SegmentBytes = 4096 });
        for (int i = 0; i < 300; i++) await log.AppendAsync("t", Record(i), 0);
        var seen = new List<Seen>();
        long next = 0;
        int pages = 0;
        while (next < 300)
        {
            var visitor = new Collect(stopAfter: 7);
            next = log.Scan("t", 0, next, 300, visitor);
            Assert.True(visitor.Seen.Count <= 7);
            seen.AddRange(visitor.Seen);
            pages++;
        }
        Assert.Equal(ReadAll(log, 0, 300), seen);
        Assert.Equal(43, pages);
    }

    [Fact]
    public async Task A_scan_below_the_log_start_starts_at_the_oldest_record_still_stored()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(new LogOptions { Directory = dir.Path });
        log.CreateTopic(new TopicConfig("t") { SegmentBytes = 4096, RetentionBytes = 8192 });
        for (int i = 0; i < 500; i++) await log.AppendAsync("t", Record(i), 0);
        log.RunMaintenance();
        long logStart = log.GetPartitionInfo("t", 0).LogStartOffset;
        Assert.True(logStart > 0);
        var visitor = new Collect(int.MaxValue);
        Assert.Equal(500, log.Scan("t", 0, 0, 1000, visitor));
        Assert.Equal(logStart, visitor.Seen[0].Offset);
        Assert.Equal(ReadAll(log, logStart, 500), visitor.Seen);
        Assert.Equal(logStart, log.Scan("t", 0, 0, 1, new Collect(int.MaxValue)));
    }

    private static Record Record(int i) => (i % 11) switch
    {
        0 => new Record(null, Encoding.UTF8.GetBytes($"v{i}"), 1000 + i),
        1 => new Record(Array.Empty<byte>(), Array.Empty<byte>(), 1000 + i),
        2 => new Record(Encoding.UTF8.GetBytes($"k{i % 5}"), null, 1000 + i),
        3 => new Record(Encoding.UTF8.GetBytes($"k{i % 5}"), new byte[i % 300], 1000 + i, [new RecordHeader("h", new byte[] { 1, 2 }), new RecordHeader("n", null)]),
        _ => new Record(Encoding.UTF8.GetBytes($"k{i % 5}"), Encoding.UTF8.GetBytes($"value {i}"), 1000 - i),
    };

    private static List<Seen> ReadAll(EdgeLog log, long from, long to)
    {
        var seen = new List<Seen>();
        long next = from;
        while (next < to)
        {
            var r = log.Read("t", 0, next, 1000);
            if (r.Records.Count == 0) break;
            seen.AddRange(r.Records.Where(x => x.Offset < to).Select(x => new Seen(x.Offset, x.Timestamp, Text(x.Key), Text(x.Value))));
            next = r.NextOffset;
        }
        return seen;
    }

    private static string? Text(ReadOnlyMemory<byte>? bytes) => bytes is { } b ? Convert.ToHexString(b.Span) : null;

    private sealed record Seen(long Offset, long Timestamp, string? Key, string? Value);

    private sealed class Collect(int stopAfter) : IRecordVisitor
    {
        public List<Seen> Seen { get; } = [];

        public bool Visit(in RecordView record)
        {
            Seen.Add(new Seen(record.Offset, record.Timestamp, record.HasKey ? Convert.ToHexString(record.Key) : null,
                record.HasValue ? Convert.ToHexString(record.Value) : null));
            return Seen.Count < stopAfter;
        }
    }
}
