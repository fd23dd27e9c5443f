using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

/// <summary>
/// <see cref="EdgeLog.FindStalledWriter"/> is the gateway's liveness probe: a writer stuck in fdatasync is a stall,
/// a Block topic held back by the disk budget is not (its writer has done everything it was given).
/// </summary>
public class WriterStallTests
{
    [Fact]
    public async Task A_writer_stuck_in_fdatasync_is_a_stall_and_a_topic_held_back_by_the_disk_budget_is_not()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem();
        var time = new ManualClock(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        using var log = EdgeLog.Open(new LogOptions
        {
            // After the check at open, only RunMaintenance enforces the budget here.
            Directory = dir.Path, DiskBudgetBytes = 4096, MaintenanceInterval = TimeSpan.FromHours(1),
            BudgetCheckInterval = TimeSpan.FromHours(1),
        }, fileSystem: fs, time: time);
        log.CreateTopic(new TopicConfig("health") { Overflow = OverflowPolicy.Block, Flush = FlushPolicy.Immediate });
        // The background check also runs once at open, at once: wait for it (it has read the free space then), so a
        // loaded machine cannot start it late, in the middle of the 100 appends, and block health before they are in.
        Assert.True(SpinWait.SpinUntil(() => log.DiskUsage.FileSystemAvailableBytes is not null, TimeSpan.FromSeconds(30)), "the first budget check never ran");
        for (int i = 0; i < 100; i++) await log.AppendAsync("health", new Record(null, new byte[64], i), 0).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(log.RunMaintenance().BudgetBlocking);
        var held = log.AppendAsync("health", new Record(null, new byte[64], 100), 0).AsTask();
        Assert.False(held.IsCompleted);
        Assert.Null(log.FindStalledWriter(TimeSpan.Zero)); // waiting for admission is not the writer's fault
        Assert.Equal(1, log.BudgetBlockedTopics["health"]);

        log.CreateTopic(new TopicConfig("traffic") { Flush = FlushPolicy.Immediate });
        fs.SyncGate.Reset(); // the disk stops acknowledging writes
        Task stuck;
        try
        {
            stuck = log.AppendAsync("traffic", new Record(null, new byte[64], 0), 0).AsTask();
            // The group is reported first as overdue (closed, not yet picked up), then as a write that has not returned:
            // wait for the writer to be inside the sync.
            WriterStall? stall = null;
            Assert.True(SpinWait.SpinUntil(() => (stall = log.FindStalledWriter(TimeSpan.Zero)) is { What: var what } && what.Contains("fdatasync"), TimeSpan.FromSeconds(10)),
                $"no writer reported stuck in fdatasync; last seen: {stall?.Topic}/{stall?.Partition} {stall?.What}");
            Assert.Equal(("traffic", 0), (stall!.Topic, stall.Partition));
            Assert.Null(log.FindStalledWriter(TimeSpan.FromHours(1))); // not stuck that long yet
        }
        finally
        {
            fs.SyncGate.Set(); // a failed assertion must not leave the writer (and the log's Dispose) stuck
        }
        await stuck.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(log.FindStalledWriter(TimeSpan.Zero));
        Assert.False(held.IsCompleted);
    }
}
