using Edge.Log.Tests.TestKit;
using Microsoft.Extensions.Logging;
using static Edge.Log.Tests.TestKit.LogFixture;

namespace Edge.Log.Tests;

/// <summary>
/// A full disk (ENOSPC) is not fatal (FORMAT.md §6): writes wait while the budget evicts, then go on, and nothing
/// acknowledged is lost. The budget follows the file system and keeps active segments within it (§7.3).
/// </summary>
public class DiskFullTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<List<long>> Fill(EdgeLog log, string topic, int count, int size = 200)
    {
        var offsets = new List<long>();
        for (int i = 0; i < count; i++) offsets.Add((await log.AppendAsync(topic, new Record(null, new byte[size], i), 0).AsTask().WaitAsync(Timeout)).Offset);
        return offsets;
    }

    [Fact]
    public async Task When_another_program_fills_the_disk_writes_wait_the_oldest_evictable_segment_goes_and_every_acknowledged_record_stays()
    {
        var fs = new FaultInjectingFileSystem();
        var loggers = new CapturingLoggerFactory();
        using var dir = new TempDir();
        var options = Options(dir.Path);
        options.DiskReserveBytes = 0;
        options.BudgetCheckInterval = TimeSpan.FromMilliseconds(20);
        using var log = EdgeLog.Open(options, loggers, fileSystem: fs);
        log.CreateTopic(new TopicConfig("bulk") { SegmentBytes = 4096, RetentionTime = null, Flush = FlushPolicy.Immediate });
        log.CreateTopic(new TopicConfig("health") { SegmentBytes = 4096, RetentionTime = null, Flush = FlushPolicy.Immediate, Priority = 10, Overflow = OverflowPolicy.Block });
        var bulk = await Fill(log, "bulk", 100);
        var health = await Fill(log, "health", 20);

        // Another program takes all but 1 KiB of what is left: the next segment's writes find the disk full.
        fs.CapacityBytes = fs.UsedBytes + 1024;
        bulk.AddRange(await Fill(log, "bulk", 30));
        health.AddRange(await Fill(log, "health", 30));

        Assert.Null(log.WriteFailure.IsCompleted ? await log.WriteFailure : null);
        Assert.True(log.GetPartitionInfo("bulk", 0).LogStartOffset > 0, "nothing was evicted to make room");
        Assert.Equal(0, log.GetPartitionInfo("health", 0).LogStartOffset);
        Assert.True(log.DiskUsage.DiskFullEvents > 0);
        Assert.True(fs.UsedBytes <= fs.CapacityBytes);
        Assert.Contains(loggers.Messages, m => m.Level == LogLevel.Warning && m.Message.Contains("disk full (No space left on device", StringComparison.Ordinal));
        Assert.Contains(loggers.Messages, m => m.Message.Contains("disk space available again", StringComparison.Ordinal));
        // Every acknowledged record is readable, except the evicted prefix of the Evict topic.
        long start = log.GetPartitionInfo("bulk", 0).LogStartOffset;
        Assert.Equal(bulk.Where(o => o >= start), ReadAll(log, "bulk").Select(r => r.Offset));
        Assert.Equal(health, ReadAll(log, "health").Select(r => r.Offset));
    }

    [Fact]
    public async Task A_write_that_finds_the_disk_full_on_a_Block_topic_waits_until_space_is_freed_then_completes()
    {
        var fs = new FaultInjectingFileSystem();
        using var dir = new TempDir();
        var options = Options(dir.Path);
        options.DiskReserveBytes = 0;
        options.BudgetCheckInterval = TimeSpan.FromMilliseconds(20);
        using var log = EdgeLog.Open(options, fileSystem: fs);
        log.CreateTopic(new TopicConfig("health") { SegmentBytes = 4096, RetentionTime = null, Flush = FlushPolicy.Immediate, Overflow = OverflowPolicy.Block });
        await Fill(log, "health", 20);
        fs.CapacityBytes = fs.UsedBytes; // full, and nothing may be evicted

        var waiting = log.AppendAsync("health", new Record(null, new byte[200], 0), 0).AsTask();
        await Wait.Until(() => log.DiskUsage.State == "disk-full", Timeout, "the write found the disk full");
        Assert.False(waiting.IsCompleted);
        Assert.Equal(["health/0"], log.DiskUsage.DiskFullPartitions);

        fs.CapacityBytes = long.MaxValue / 4; // the other program deleted its files
        Assert.Equal(20, (await waiting.WaitAsync(Timeout)).Offset);
        Assert.False(log.WriteFailure.IsCompleted);
        await Wait.Until(() => log.DiskUsage.DiskFullPartitions.Count == 0, Timeout, "the partition no longer waits for space");
    }

    [Fact]
    public async Task A_budget_smaller_than_a_segment_rolls_segments_early_so_the_log_stays_within_it()
    {
        using var dir = new TempDir();
        var options = Options(dir.Path);
        options.DiskBudgetBytes = 256 << 10;
        options.BudgetCheckInterval = TimeSpan.FromHours(1);
        using var log = EdgeLog.Open(options);
        log.CreateTopic(new TopicConfig("bulk") { RetentionTime = null, Flush = FlushPolicy.Immediate }); // 64 MiB segments
        log.RunMaintenance(); // the budget's first check sets the active-segment limit
        await Fill(log, "bulk", 1000, 1000);

        log.RunMaintenance();
        Assert.True(log.DiskBytes <= 256 << 10, $"{log.DiskBytes} bytes on disk over a budget of {256 << 10}");
        Assert.True(log.GetPartitionInfo("bulk", 0).LogStartOffset > 0);
    }

    [Fact]
    public async Task The_budget_in_force_follows_the_file_system_while_running()
    {
        var fs = new FaultInjectingFileSystem { CapacityBytes = 256 << 10 };
        using var dir = new TempDir();
        var options = Options(dir.Path);
        options.DiskBudgetBytes = 1L << 30;
        options.DiskReserveBytes = 16 << 10;
        options.BudgetCheckInterval = TimeSpan.FromHours(1);
        using var log = EdgeLog.Open(options, fileSystem: fs);
        log.CreateTopic(new TopicConfig("bulk") { SegmentBytes = 4096, RetentionTime = null, Flush = FlushPolicy.Immediate });
        await Fill(log, "bulk", 600);

        log.RunMaintenance();
        var usage = log.DiskUsage;
        Assert.Equal((256 << 10) - (16 << 10) - (fs.UsedBytes - log.DiskBytes), usage.BudgetBytes); // not the configured 1 GiB
        Assert.Equal(16 << 10, usage.ReserveBytes);

        fs.CapacityBytes = fs.UsedBytes + (8 << 10); // another program takes all but half the reserve
        log.RunMaintenance();
        Assert.True(log.DiskUsage.BudgetBytes < usage.BudgetBytes);
        Assert.True(log.DiskBytes <= log.DiskUsage.BudgetBytes);
        Assert.True(log.GetPartitionInfo("bulk", 0).LogStartOffset > 0);
    }
}
