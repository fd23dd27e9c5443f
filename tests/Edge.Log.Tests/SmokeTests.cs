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
}
