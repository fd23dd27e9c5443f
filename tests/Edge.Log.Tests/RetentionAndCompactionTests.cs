using System.Text;
using Edge.Log.Tests.TestKit;
using static Edge.Log.Tests.TestKit.LogFixture;

namespace Edge.Log.Tests;

public class RetentionAndCompactionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static async Task AppendMany(EdgeLog log, string topic, IEnumerable<(string? Key, string? Value, long Ts)> records)
    {
        // One at a time: each append is its own batch, so segments roll at their size limit.
        foreach (var r in records)
            await log.AppendAsync(topic, new Record(r.Key is null ? null : Encoding.UTF8.GetBytes(r.Key), r.Value is null ? null : Encoding.UTF8.GetBytes(r.Value), r.Ts), 0);
    }

    [Fact]
    public async Task Time_retention_deletes_whole_expired_sealed_segments_and_never_the_active_one()
    {
        using var dir = new TempDir();
        var time = new ManualClock(T0);
        var options = Options(dir.Path);
        using var log = EdgeLog.Open(options, time: time);
        log.CreateTopic(new TopicConfig("t") { SegmentBytes = 4096, RetentionTime = TimeSpan.FromHours(1), Flush = FlushPolicy.Immediate });
        long old = T0.ToUnixTimeMilliseconds();
        await AppendMany(log, "t", Enumerable.Range(0, 300).Select(i => ((string?)"k", (string?)$"old-{i:D4}-{new string('x', 40)}", old + i)));
        int segmentsBefore = log.GetPartitionInfo("t", 0).Segments;
        Assert.True(segmentsBefore > 3);
        Assert.Equal(0, log.RunMaintenance().RetentionDeletedSegments); // nothing is an hour old yet

        time.Advance(TimeSpan.FromHours(2));
        var report = log.RunMaintenance();
        var info = log.GetPartitionInfo("t", 0);
        Assert.Equal(segmentsBefore - 1, report.RetentionDeletedSegments);
        Assert.Equal(1, info.Segments); // the active segment stays, however old
        Assert.Equal(300, info.HighWatermark);
        Assert.True(info.LogStartOffset > 0);
        Assert.All(ReadAll(log), r => Assert.True(r.Offset >= info.LogStartOffset));
        // Offsets continue after retention and after a reopen.
        Assert.Equal(300, (await log.AppendAsync("t", new Record(null, new byte[1], old), 0)).Offset);
    }

    [Fact]
    public async Task Size_retention_keeps_the_newest_segments_within_the_byte_limit()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(Options(dir.Path));
        log.CreateTopic(new TopicConfig("t") { SegmentBytes = 4096, RetentionBytes = 12_288, RetentionTime = null, Flush = FlushPolicy.Immediate });
        await AppendMany(log, "t", Enumerable.Range(0, 600).Select(i => ((string?)"k", (string?)$"v-{i:D4}-{new string('y', 40)}", (long)i)));
        log.RunMaintenance();
        var info = log.GetPartitionInfo("t", 0);
        Assert.InRange(info.SizeInBytes, 1, 12_288);
        var records = ReadAll(log);
        Assert.Equal(info.LogStartOffset, records[0].Offset);
        Assert.Equal(599, records[^1].Offset);
        Assert.Equal($"v-0599-{new string('y', 40)}", Encoding.UTF8.GetString(records[^1].Value!.Value.Span));
    }

    [Fact]
    public async Task Compaction_keeps_the_latest_value_per_key_with_unchanged_offsets_and_drops_old_tombstones()
    {
        using var dir = new TempDir();
        var time = new ManualClock(T0);
        var options = Options(dir.Path);
        long now = T0.ToUnixTimeMilliseconds();
        var latest = new Dictionary<string, (long Offset, string? Value)>();
        using (var log = EdgeLog.Open(options, time: time))
        {
            log.CreateTopic(new TopicConfig("t") { SegmentBytes = 4096, Cleanup = CleanupPolicy.Compact, TombstoneRetention = TimeSpan.FromHours(1), Flush = FlushPolicy.Immediate });
            var random = new Random(3);
            // A key deleted once and never written again: its tombstone is the latest record for it.
            latest["gone"] = ((await log.AppendAsync("t", new Record("gone"u8.ToArray(), null, now), 0)).Offset, null);
            for (int i = 1; i < 400; i++)
            {
                string key = $"sensor-{random.Next(10)}";
                string? value = i % 37 == 5 ? null : $"reading {i} {new string('z', 30)}";
                var pos = await log.AppendAsync("t", new Record(Encoding.UTF8.GetBytes(key), value is null ? null : Encoding.UTF8.GetBytes(value), now), 0);
                latest[key] = (pos.Offset, value);
            }
            long sizeBefore = log.GetPartitionInfo("t", 0).SizeInBytes;
            var report = log.RunMaintenance();
            Assert.True(report.CompactedRecords > 300, $"compaction removed only {report.CompactedRecords}");
            Assert.True(log.GetPartitionInfo("t", 0).SizeInBytes < sizeBefore / 2);

            // Appends continue after compaction, at the next offset.
            Assert.Equal(400, (await log.AppendAsync("t", new Record("late"u8.ToArray(), "x"u8.ToArray(), now), 0)).Offset);
            latest["late"] = (400, "x");
        }
        using (var log = EdgeLog.Open(options, time: time))
        {
            var records = ReadAll(log);
            var byKey = records.GroupBy(r => Encoding.UTF8.GetString(r.Key!.Value.Span)).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (key, (offset, value)) in latest)
            {
                var last = byKey[key][^1];
                Assert.Equal(offset, last.Offset); // offsets never change
                Assert.Equal(value, last.Value is null ? null : Encoding.UTF8.GetString(last.Value.Value.Span));
            }
            // Sealed segments hold at most one record per key (the active one is left alone).
            var activeBase = long.Parse(Path.GetFileNameWithoutExtension(Segments(dir.Path)[^1]));
            Assert.All(byKey.Values, l => Assert.True(l.Count(r => r.Offset < activeBase) <= 1));
            Assert.True(records.Any(r => r.IsTombstone && r.Offset < activeBase), "a fresh tombstone must survive compaction");

            // After TombstoneRetention, tombstones in sealed segments go.
            time.Advance(TimeSpan.FromHours(2));
            log.RunMaintenance();
            Assert.DoesNotContain(ReadAll(log), r => r.IsTombstone && r.Offset < activeBase);
        }
    }
}
