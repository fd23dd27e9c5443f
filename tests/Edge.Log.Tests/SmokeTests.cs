using System.Text;
using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

public class SmokeTests
{
    [Fact]
    public async Task Appended_records_read_back_after_reopen()
    {
        using var dir = new TempDir();
        var options = new LogOptions { Directory = dir.Path };
        using (var log = EdgeLog.Open(options))
        {
            log.CreateTopic(new TopicConfig("t") { Partitions = 2, SegmentBytes = 4096 });
            for (int i = 0; i < 500; i++)
            {
                var pos = await log.AppendAsync("t", new Record(Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes($"v{i}"), 1000 + i));
                Assert.Equal(i, pos.Offset);
            }
        }
        using (var log = EdgeLog.Open(options))
        {
            int p = KeyPartitioner.PartitionFor("k"u8, 2);
            var values = new List<string>();
            long next = 0;
            while (true)
            {
                var r = log.Read("t", p, next, 1000);
                if (r.Records.Count == 0) break;
                values.AddRange(r.Records.Select(x => Encoding.UTF8.GetString(x.Value!.Value.Span)));
                next = r.NextOffset;
            }
            Assert.Equal(Enumerable.Range(0, 500).Select(i => $"v{i}"), values);
            Assert.True(log.GetPartitionInfo("t", p).Segments > 5);
            Assert.Equal(1100, log.Read("t", p, log.OffsetForTimestamp("t", p, 1100)!.Value, 1).Records[0].Timestamp);
        }
    }

    [Fact]
    public async Task Keys_values_nulls_and_headers_round_trip_exactly_through_close_and_reopen()
    {
        using var dir = new TempDir();
        var options = new LogOptions { Directory = dir.Path };
        var headers = new List<RecordHeader> { new("unit", Encoding.UTF8.GetBytes("bpm")), new("calibrated", null), new("ünïcode", new byte[] { 0, 255 }) };
        using (var log = EdgeLog.Open(options))
        {
            log.CreateTopic(new TopicConfig("t") { Flush = FlushPolicy.Immediate });
            await log.AppendAsync("t", new Record(Encoding.UTF8.GetBytes("hr-1"), new byte[] { 1, 2, 3 }, -5, headers), 0);
            await log.AppendAsync("t", new Record(null, null, long.MaxValue), 0);
            await log.AppendAsync("t", new Record(Array.Empty<byte>(), Array.Empty<byte>(), 0), 0);
        }
        using (var log = EdgeLog.Open(options))
        {
            var r = log.Read("t", 0, 0).Records;
            Assert.Equal(3, r.Count);
            Assert.Equal("hr-1"u8.ToArray(), r[0].Key!.Value.ToArray());
            Assert.Equal(new byte[] { 1, 2, 3 }, r[0].Value!.Value.ToArray());
            Assert.Equal(-5, r[0].Timestamp);
            Assert.Equal(headers.Select(h => (h.Key, h.Value?.ToArray())), r[0].Headers.Select(h => (h.Key, h.Value?.ToArray())));
            Assert.Null(r[1].Key);
            Assert.True(r[1].IsTombstone);
            Assert.Equal(long.MaxValue, r[1].Timestamp);
            Assert.Equal(0, r[2].Key!.Value.Length);
            Assert.Equal(0, r[2].Value!.Value.Length);
            Assert.Empty(r[2].Headers);
        }
    }
}
