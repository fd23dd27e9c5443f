using System.Runtime.CompilerServices;
using System.Text;
using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

/// <summary>
/// A segment file as today's writer makes it (FORMAT.md §4), checked in: logs already on disk must stay readable, and
/// the round-trip tests elsewhere use today's writer and today's reader, which could change together and still agree.
/// Fixtures/README.md says how the fixture was made.
/// </summary>
public class SegmentFixtureTests
{
    private const string Topic = "fixture";

    /// <summary>Three records per group commit: the fixture holds two batches of three.</summary>
    private static readonly FlushPolicy ThreePerBatch = new(3, TimeSpan.FromMinutes(10));

    /// <summary>
    /// Two batches of three: a key and value, a null key, a tombstone; headers (one with a null value), an empty value
    /// with a timestamp earlier than the batch's first (a negative delta), a far timestamp and a value of 300 bytes
    /// (two-byte varints).
    /// </summary>
    internal static readonly Record[] Records =
    [
        new(Bytes("hr-bed1"), Bytes("reading-0"), 1_764_045_600_123),
        new(null, Bytes("no key"), 1_764_045_600_124),
        new(Bytes("hr-bed1"), null, 1_764_045_600_125),
        new(Bytes("k"), Bytes("with headers"), 1_764_045_600_126, [new RecordHeader("source", Bytes("node-2")), new RecordHeader("trace", null)]),
        new(Bytes("k"), Array.Empty<byte>(), 1_764_045_599_000),
        new(Bytes("long"), Enumerable.Range(0, 300).Select(i => (byte)i).ToArray(), 253_402_300_799_999),
    ];

    [Fact]
    public void Todays_reader_reads_the_checked_in_segment_back_exactly()
    {
        using var dir = new TempDir();
        var options = new LogOptions { Directory = dir.Path };
        using (var log = EdgeLog.Open(options)) log.CreateTopic(new TopicConfig(Topic) { Partitions = 1, Flush = ThreePerBatch });
        // The checked-in segment replaces the empty one; its indexes are derived data (FORMAT.md §5) and are rebuilt.
        string partition = Path.Combine(dir.Path, "topics", Topic, "0");
        foreach (var f in Directory.GetFiles(partition)) File.Delete(f);
        File.WriteAllBytes(Path.Combine(partition, "00000000000000000000.log"), ReadFixture());

        using (var log = EdgeLog.Open(options))
        {
            var read = log.Read(Topic, 0, 0, 1 << 20);
            Assert.Equal(Records.Length, read.Records.Count);
            for (int i = 0; i < Records.Length; i++) AssertSame(i, Records[i], read.Records[i]);
            Assert.Equal(Records.Length, log.GetPartitionInfo(Topic, 0).HighWatermark);
        }
    }

    [Fact]
    public async Task Todays_writer_writes_the_checked_in_segment_byte_for_byte()
    {
        using var dir = new TempDir();
        using (var log = EdgeLog.Open(new LogOptions { Directory = dir.Path }))
        {
            log.CreateTopic(new TopicConfig(Topic) { Partitions = 1, Flush = ThreePerBatch });
            // A group closes when it holds three records (FlushPolicy.MaxUnflushedRecords), so the batches do not depend on timing.
            foreach (var three in Records.Chunk(3)) await Task.WhenAll(three.Select(r => log.AppendAsync(Topic, r, partition: 0).AsTask()));
        }
        byte[] written = File.ReadAllBytes(Path.Combine(dir.Path, "topics", Topic, "0", "00000000000000000000.log")), fixture = ReadFixture();
        Assert.True(fixture.AsSpan().SequenceEqual(written),
            $"the segment format changed (a format version change: see Fixtures/README.md)\nfixture:\n{Hex(fixture)}\nwriter:\n{Hex(written)}");
    }

    private static void AssertSame(int i, Record expected, LogRecord actual)
    {
        Assert.Equal(i, actual.Offset);
        Assert.Equal(expected.Timestamp, actual.Timestamp);
        Assert.Equal(expected.Key?.ToArray(), actual.Key?.ToArray());
        Assert.Equal(expected.Value?.ToArray(), actual.Value?.ToArray());
        Assert.Equal((expected.Headers ?? []).Select(h => (h.Key, h.Value?.ToArray())), actual.Headers.Select(h => (h.Key, h.Value?.ToArray())));
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string Hex(byte[] bytes) => string.Join('\n', bytes.Chunk(32).Select(c => Convert.ToHexString(c).ToLowerInvariant()));

    /// <summary>Fixtures/segment-v1.hex; '#' lines are comments.</summary>
    private static byte[] ReadFixture([CallerFilePath] string source = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(source)!, "Fixtures", "segment-v1.hex");
        Assert.True(File.Exists(path), $"fixture {path} is missing");
        return Convert.FromHexString(string.Concat(File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith('#')).Select(l => l.Trim())));
    }
}
