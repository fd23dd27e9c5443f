using System.Text;
using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

/// <summary>
/// A page-cache topic resumes at its offset lease end after a restart (FORMAT.md §7.4), so the offsets between the
/// last stored record and the lease end never exist. A consumer whose position lies in that gap — every consumer
/// that had caught up before the restart — must be moved past it, not left reading nothing at the same offset
/// (the uplink's forwarder reads, gets nothing, waits for data above its position — which is already there — and
/// spins at full CPU until new data arrives).
/// </summary>
public class LeaseGapTests
{
    private const int Stored = 10;

    [Fact]
    public async Task A_read_inside_the_lease_gap_after_a_clean_restart_skips_to_the_high_watermark_so_a_tailing_consumer_waits()
    {
        using var dir = new TempDir();
        await StoreAndClose(new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) });
        using var log = EdgeLog.Open(new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) });
        await AssertGapIsSkipped(log);
    }

    [Fact]
    public async Task A_read_inside_the_lease_gap_after_a_power_loss_skips_to_the_high_watermark_so_a_tailing_consumer_waits()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem();
        var log = EdgeLog.Open(new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) }, fileSystem: fs);
        log.CreateTopic(new TopicConfig("t") { Flush = FlushPolicy.None });
        for (int i = 0; i < Stored; i++) await log.AppendAsync("t", Record(i), 0);
        // Power loss: the page-cache records are gone, the lease (synced) stays; the whole range 0..lease end is a gap.
        var after = fs.AfterCrash(CrashMode.LoseUnsynced, new Random(1));
        log.Dispose();
        using var reopened = EdgeLog.Open(new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) }, fileSystem: after);
        Assert.Empty(reopened.Read("t", 0, 0).Records);
        await AssertGapIsSkipped(reopened);
    }

    private static async Task StoreAndClose(LogOptions options)
    {
        using var log = EdgeLog.Open(options);
        log.CreateTopic(new TopicConfig("t") { Flush = FlushPolicy.None });
        for (int i = 0; i < Stored; i++) await log.AppendAsync("t", Record(i), 0);
    }

    private static async Task AssertGapIsSkipped(EdgeLog log)
    {
        long hw = log.GetPartitionInfo("t", 0).HighWatermark;
        Assert.True(hw > Stored + 1000, $"the lease should have moved the high watermark far past {Stored}, it is {hw}");
        foreach (long position in new long[] { Stored, Stored + 1, hw - 1 })
        {
            var read = log.Read("t", 0, position);
            Assert.Empty(read.Records);
            Assert.Equal(hw, read.NextOffset);
            Assert.Equal(hw, log.Scan("t", 0, position, long.MaxValue, new CountingVisitor()));
            // The forwarder's loop: read, then wait for data at the offset the read returned. That wait must block.
            using var cts = new CancellationTokenSource();
            var wait = log.WaitForDataAsync("t", 0, read.NextOffset, cts.Token);
            Assert.False(wait.IsCompleted, $"a consumer at {position} would spin: data is 'available' at {read.NextOffset} but none is returned");
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        }

        // New data after the gap reaches the consumer that waited in it.
        var appended = await log.AppendAsync("t", Record(99), 0);
        Assert.Equal(hw, appended.Offset);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var r in log.TailAsync("t", 0, Stored, timeout.Token))
        {
            Assert.Equal(hw, r.Offset);
            Assert.Equal(Record(99).Value!.Value.ToArray(), r.Value!.Value.ToArray());
            break;
        }
    }

    private static Record Record(int i) => new(Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes($"reading-{i}"), 1_000 + i);

    private sealed class CountingVisitor : IRecordVisitor
    {
        public bool Visit(in RecordView record) => true;
    }
}
