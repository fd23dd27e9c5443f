using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

/// <summary>
/// Stepping over corrupt bytes (FORMAT.md §7.5): a flipped bit in a stored batch costs that batch's records; the
/// consumer that met it asks <see cref="EdgeLog.SkipCorrupt"/> and reads, scans and later reads go on past it.
/// </summary>
public class SkipCorruptTests
{
    [Fact]
    public async Task Skip_corrupt_steps_over_a_flipped_batch_to_the_next_valid_one_and_reads_and_scans_go_on()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(LogFixture.Options(dir.Path));
        log.CreateTopic(new TopicConfig("t") { Flush = FlushPolicy.Immediate });
        var starts = await LogFixture.AppendOneByOne(log, dir.Path, 20);
        string segment = LogFixture.Segments(dir.Path)[0];
        LogFixture.FlipBit(segment, (starts[7] + starts[8]) / 2);

        var error = Assert.Throws<CorruptRecordException>(() => log.Read("t", 0, 0));
        Assert.Equal(starts[7], error.Position);
        var range = log.SkipCorrupt("t", 0, 0);
        Assert.NotNull(range);
        Assert.Equal((7L, 8L), (range.FirstOffset, range.NextOffset));
        Assert.Equal((segment, starts[7], starts[8] - starts[7]), (range.File, range.Position, range.Bytes));
        Assert.Contains("CRC32C mismatch", range.Reason);

        // Every other record reads back, by Read and by Scan, from before the gap and from inside it.
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i != 7).Select(i => (long)i), LogFixture.ReadAll(log).Select(r => r.Offset));
        Assert.Equal(8, log.Read("t", 0, 7).Records[0].Offset);
        var visited = new Offsets();
        Assert.Equal(20, log.Scan("t", 0, 0, long.MaxValue, visited));
        Assert.Equal(19, visited.Seen.Count);
        Assert.Null(log.SkipCorrupt("t", 0, 0)); // nothing more to skip
    }

    [Fact]
    public async Task A_corrupt_last_batch_of_a_sealed_segment_loses_offsets_up_to_the_next_segment_only()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(LogFixture.Options(dir.Path));
        log.CreateTopic(new TopicConfig("t") { Flush = FlushPolicy.Immediate, SegmentBytes = 4096 });
        await LogFixture.AppendOneByOne(log, dir.Path, 200);
        var segments = LogFixture.Segments(dir.Path);
        Assert.True(segments.Length >= 3);
        long nextBase = long.Parse(Path.GetFileNameWithoutExtension(segments[1]));
        // The magic byte of the first segment's last batch: nothing valid follows it in that segment.
        long lastBatch = LastBatchStart(segments[0]);
        LogFixture.FlipBit(segments[0], lastBatch);

        var range = log.SkipCorrupt("t", 0, 0);
        Assert.NotNull(range);
        Assert.Equal(nextBase, range.NextOffset);
        Assert.Equal(nextBase - 1, range.FirstOffset);
        Assert.Equal(lastBatch, range.Position);
        Assert.Equal(199, LogFixture.ReadAll(log).Count);
    }

    // Walks the batch lengths (FORMAT.md §4.1: length at byte 4 of each header) to the start of the last batch.
    private static long LastBatchStart(string file)
    {
        var bytes = File.ReadAllBytes(file);
        long pos = 0, last = 0;
        while (pos < bytes.Length)
        {
            last = pos;
            pos += BitConverter.ToInt32(bytes, (int)pos + 4);
        }
        return last;
    }

    private sealed class Offsets : IRecordVisitor
    {
        public List<long> Seen { get; } = [];

        public bool Visit(in RecordView record)
        {
            Seen.Add(record.Offset);
            return true;
        }
    }
}
