using Edge.Log.Tests.TestKit;
using static Edge.Log.Tests.TestKit.LogFixture;

namespace Edge.Log.Tests;

public class DiskBudgetTests
{
    // One append at a time: each is its own batch, so segments roll at their size limit.
    private static async Task Fill(EdgeLog log, string topic, int count, long timestamp = 0)
    {
        for (int i = 0; i < count; i++) await log.AppendAsync(topic, new Record(null, new byte[200], timestamp), 0);
    }

    [Fact]
    public async Task Over_budget_the_lowest_priority_topic_loses_its_oldest_segments_first_and_unconsumed_loss_is_reported()
    {
        using var dir = new TempDir();
        var options = Options(dir.Path);
        options.DiskBudgetBytes = 60_000;
        // The background budget check (every second by default) must not evict before RunMaintenance reports it.
        options.BudgetCheckInterval = TimeSpan.FromHours(1);
        using var log = EdgeLog.Open(options);
        log.CreateTopic(new TopicConfig("low") { Priority = 0, RetentionTime = null, SegmentBytes = 4096, Flush = FlushPolicy.Immediate });
        log.CreateTopic(new TopicConfig("high") { Priority = 5, RetentionTime = null, SegmentBytes = 4096, Flush = FlushPolicy.Immediate });
        await Fill(log, "high", 100);
        await Fill(log, "low", 200);
        using (var m = log.Group("uplink").Join("m", "low")) await m.CommitAsync("low", 0, 10).WaitAsync(TimeSpan.FromSeconds(10));
        var events = new List<EvictionEvent>();
        log.Evicted += events.Add;

        var report = log.RunMaintenance();
        Assert.True(report.EvictedSegments > 0);
        Assert.True(log.DiskBytes <= 60_000);
        Assert.Equal(0, log.GetPartitionInfo("high", 0).LogStartOffset); // the important topic is untouched
        Assert.True(log.GetPartitionInfo("low", 0).LogStartOffset > 0);
        Assert.All(events, e => Assert.Equal("low", e.Topic));
        Assert.Equal(0, events[0].FromOffset);
        // The group had consumed offsets 0..9: the rest of the evicted range was lost to it, and that is said.
        Assert.Equal(events.Sum(e => e.ToOffset - Math.Max(e.FromOffset, 10)), events.Sum(e => e.UnconsumedByGroup["uplink"]));
    }

    [Fact]
    public async Task A_blocking_topic_makes_appends_wait_at_the_budget_and_resume_when_retention_frees_space()
    {
        using var dir = new TempDir();
        var time = new ManualClock(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var options = Options(dir.Path);
        options.DiskBudgetBytes = 30_000;
        using var log = EdgeLog.Open(options, time: time);
        log.CreateTopic(new TopicConfig("health") { Overflow = OverflowPolicy.Block, SegmentBytes = 4096, RetentionTime = TimeSpan.FromHours(1), Flush = FlushPolicy.Immediate });
        log.CreateTopic(new TopicConfig("bulk") { SegmentBytes = 4096, RetentionTime = null, Flush = FlushPolicy.Immediate });
        await Fill(log, "bulk", 50, now);
        await Fill(log, "health", 150, now);

        var report = log.RunMaintenance();
        Assert.True(report.BudgetBlocking);
        Assert.Equal(0, log.GetPartitionInfo("health", 0).LogStartOffset); // a blocking topic is never evicted
        Assert.True(log.GetPartitionInfo("bulk", 0).LogStartOffset > 0);    // evictable data went first

        var waiting = log.AppendAsync("health", new Record(null, new byte[10], now), 0).AsTask();
        Assert.False(waiting.IsCompleted); // back-pressure: the producer waits instead of the disk filling

        time.Advance(TimeSpan.FromHours(2)); // health's own retention frees its old segments
        Assert.False(log.RunMaintenance().BudgetBlocking);
        Assert.Equal(150, (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Offset);
        Assert.True(log.DiskBytes <= 30_000);
    }
}
