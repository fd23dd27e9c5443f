using System.Buffers.Binary;
using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

public class ConcurrencyTests
{
    [Fact]
    public async Task Many_producers_and_a_tailing_reader_see_every_record_once_in_offset_order()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) });
        log.CreateTopic(new TopicConfig("t") { SegmentBytes = 64 * 1024, Flush = new FlushPolicy(200, TimeSpan.FromMilliseconds(1)) });
        const int producers = 8, perProducer = 5_000, total = producers * perProducer;

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<(long Offset, int Producer, int Seq)>();
        var reader = Task.Run(async () =>
        {
            await foreach (var r in log.TailAsync("t", 0, 0, cts.Token))
            {
                Assert.True(r.Offset < log.GetPartitionInfo("t", 0).HighWatermark, "a reader saw a record past the high watermark");
                var v = r.Value!.Value.Span;
                seen.Add((r.Offset, BinaryPrimitives.ReadInt32LittleEndian(v), BinaryPrimitives.ReadInt32LittleEndian(v[4..])));
                if (seen.Count == total) return;
            }
        });

        var acked = await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var offsets = new long[perProducer];
            var pending = new List<(int Seq, Task<RecordPosition> Task)>();
            for (int i = 0; i < perProducer; i++)
            {
                var value = new byte[8];
                BinaryPrimitives.WriteInt32LittleEndian(value, p);
                BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(4), i);
                pending.Add((i, log.AppendAsync("t", new Record(null, value, i), 0).AsTask()));
                if (pending.Count == 100)
                {
                    foreach (var (seq, t) in pending) offsets[seq] = (await t).Offset;
                    pending.Clear();
                }
            }
            foreach (var (seq, t) in pending) offsets[seq] = (await t).Offset;
            return offsets;
        })));
        await reader.WaitAsync(TimeSpan.FromSeconds(60));

        // Offsets are exactly 0..total-1, each handed out once, and one producer's records keep its order.
        Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i), acked.SelectMany(a => a).Order());
        foreach (var offsets in acked) Assert.True(offsets.Zip(offsets.Skip(1)).All(x => x.First < x.Second));
        Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i), seen.Select(s => s.Offset));
        foreach (var s in seen) Assert.Equal(s.Offset, acked[s.Producer][s.Seq]);
        Assert.True(log.GetPartitionInfo("t", 0).Segments > 1);
    }

    [Fact]
    public async Task Appends_wait_when_pending_bytes_exceed_the_partition_limit_and_keep_fifo_order()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem();
        using var log = EdgeLog.Open(new LogOptions { Directory = dir.Path, MaxRecordBytes = 1024, MaxPendingBytesPerPartition = 4096, MaintenanceInterval = TimeSpan.FromHours(1) }, fileSystem: fs);
        log.CreateTopic(new TopicConfig("t") { Flush = new FlushPolicy(4, TimeSpan.Zero) });
        fs.SyncGate.Reset(); // the disk stops acknowledging: nothing becomes durable
        var value = new byte[500];
        var tasks = Enumerable.Range(0, 40).Select(i => log.AppendAsync("t", new Record(null, value, i), 0).AsTask()).ToList();
        // Memory stays bounded: the appends beyond the limit wait for admission instead of being buffered.
        Assert.InRange(log.Partition("t", 0).PendingBytes, 1, 4096 + 600);
        Assert.All(tasks, t => Assert.False(t.IsCompleted));
        fs.SyncGate.Set();
        var positions = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), positions.Select(p => p.Offset)); // FIFO order kept
        Assert.Equal(0, log.Partition("t", 0).PendingBytes);
    }
}
