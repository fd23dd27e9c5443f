using System.Buffers.Binary;
using System.IO.Hashing;
using Edge.Log.Tests.TestKit;
using static Edge.Log.Tests.TestKit.LogFixture;

namespace Edge.Log.Tests;

public class RecoveryTests
{
    private static async Task<(TempDir Crashed, List<long> Starts)> CrashedLog(int records, long segmentBytes = 1 << 20)
    {
        using var live = new TempDir();
        var crashed = new TempDir();
        using var log = EdgeLog.Open(Options(live.Path));
        log.CreateTopic(new TopicConfig("t") { Flush = FlushPolicy.Immediate, SegmentBytes = segmentBytes });
        var starts = await AppendOneByOne(log, live.Path, records);
        CopyAsCrashed(live.Path, crashed.Path);
        return (crashed, starts);
    }

    private static void AssertValues(IEnumerable<LogRecord> records, int count)
    {
        var list = records.ToList();
        Assert.Equal(count, list.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(i, list[i].Offset);
            Assert.Equal(Value(i), list[i].Value!.Value.ToArray());
            Assert.Equal(1_000 + i, list[i].Timestamp);
        }
    }

    [Fact]
    public async Task Recovery_truncates_a_torn_tail_batch_and_logs_what_it_dropped()
    {
        var (dir, starts) = await CrashedLog(20);
        using var _ = dir;
        string segment = Segments(dir.Path)[^1];
        long length = new FileInfo(segment).Length;
        using (var fs = new FileStream(segment, FileMode.Open)) fs.SetLength(starts[^1] + 17); // mid-batch
        var loggers = new CapturingLoggerFactory();
        using var log = EdgeLog.Open(Options(dir.Path), loggers);
        AssertValues(ReadAll(log), 19);
        Assert.Contains(loggers.Messages, m => m.Message.Contains(segment) && m.Message.Contains($"at byte {starts[^1]}") && m.Message.Contains("dropping 17 bytes"));
        // The next append continues at the first offset that was never durable.
        Assert.Equal(19, (await log.AppendAsync("t", new Record(null, Value(19), 1_019), 0)).Offset);
        Assert.True(length > starts[^1] + 17);
    }

    [Fact]
    public async Task Recovery_drops_a_tail_batch_with_a_flipped_bit_and_keeps_the_valid_prefix()
    {
        var (dir, starts) = await CrashedLog(20);
        using var _ = dir;
        string segment = Segments(dir.Path)[^1];
        FlipBit(segment, starts[^1] + 45); // inside the last batch's records
        var loggers = new CapturingLoggerFactory();
        using var log = EdgeLog.Open(Options(dir.Path), loggers);
        AssertValues(ReadAll(log), 19);
        Assert.Contains(loggers.Messages, m => m.Message.Contains("CRC32C mismatch") && m.Message.Contains(segment));
    }

    [Fact]
    public async Task Recovery_drops_garbage_appended_after_the_last_batch()
    {
        var (dir, _) = await CrashedLog(10);
        using var __ = dir;
        string segment = Segments(dir.Path)[^1];
        long before = new FileInfo(segment).Length;
        await File.AppendAllTextAsync(segment, "GARBAGE-GARBAGE-GARBAGE-GARBAGE-GARBAGE-GARBAGE");
        using var log = EdgeLog.Open(Options(dir.Path));
        AssertValues(ReadAll(log), 10);
        Assert.Equal(before, new FileInfo(segment).Length);
    }

    [Fact]
    public async Task Deleted_indexes_are_rebuilt_and_every_record_stays_readable()
    {
        var (dir, _) = await CrashedLog(200, segmentBytes: 4096);
        using var __ = dir;
        Assert.True(Segments(dir.Path).Length > 3);
        foreach (var f in Directory.GetFiles(PartitionDir(dir.Path), "*index")) File.Delete(f);
        var loggers = new CapturingLoggerFactory();
        using var log = EdgeLog.Open(Options(dir.Path), loggers);
        AssertValues(ReadAll(log), 200);
        Assert.Equal(1_150, log.Read("t", 0, log.OffsetForTimestamp("t", 0, 1_150)!.Value, 1).Records[0].Timestamp);
        Assert.Contains(loggers.Messages, m => m.Message.Contains("rebuilt the index"));
        Assert.Equal(Segments(dir.Path).Length * 2, Directory.GetFiles(PartitionDir(dir.Path), "*index").Length);
    }

    [Fact]
    public async Task A_flipped_bit_in_a_sealed_segment_is_a_typed_error_naming_file_and_position_never_data()
    {
        var (dir, _) = await CrashedLog(200, segmentBytes: 4096);
        using var __ = dir;
        string sealedSegment = Segments(dir.Path)[1];
        long size = new FileInfo(sealedSegment).Length;
        FlipBit(sealedSegment, size / 2);
        using var log = EdgeLog.Open(Options(dir.Path)); // opening does not scan sealed segments
        long baseOffset = long.Parse(Path.GetFileNameWithoutExtension(sealedSegment));
        void ReadThroughTheSegment()
        {
            for (long o = baseOffset; o < log.GetPartitionInfo("t", 0).HighWatermark; o = log.Read("t", 0, o, 64).NextOffset) { }
        }
        var error = Assert.Throws<CorruptRecordException>(ReadThroughTheSegment);
        Assert.Equal(sealedSegment, error.File);
        Assert.InRange(error.Position, 0, size / 2);
        // Records in other segments are still served.
        Assert.Equal(0, log.Read("t", 0, 0, 64).Records[0].Offset);
    }

    [Fact]
    public async Task A_batch_with_a_future_format_version_is_refused_not_truncated()
    {
        var (dir, starts) = await CrashedLog(5);
        using var __ = dir;
        string segment = Segments(dir.Path)[^1];
        var bytes = await File.ReadAllBytesAsync(segment);
        int at = (int)starts[^1];
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4));
        bytes[at + 1] = 2; // version 2, with a valid checksum: written by a newer Edge
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + length - 4), Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, bytes.AsSpan(at, length - 4)));
        await File.WriteAllBytesAsync(segment, bytes);
        var error = Assert.Throws<UnsupportedFormatVersionException>(() => EdgeLog.Open(Options(dir.Path)));
        Assert.Equal(2, error.Version);
        Assert.Equal(bytes.Length, new FileInfo(segment).Length); // nothing was truncated
    }

    [Fact]
    public async Task A_cleanly_closed_log_reopens_without_scanning_and_continues_its_offsets()
    {
        using var dir = new TempDir();
        using (var log = EdgeLog.Open(Options(dir.Path)))
        {
            log.CreateTopic(new TopicConfig("t") { Flush = FlushPolicy.Immediate });
            await AppendOneByOne(log, dir.Path, 30);
        }
        var loggers = new CapturingLoggerFactory();
        using (var log = EdgeLog.Open(Options(dir.Path), loggers))
        {
            Assert.DoesNotContain(loggers.Messages, m => m.Message.Contains("unclean") || m.Message.Contains("truncated"));
            AssertValues(ReadAll(log), 30);
            Assert.Equal(30, (await log.AppendAsync("t", new Record(null, Value(30), 1_030), 0)).Offset);
        }
    }
}
