using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

/// <summary>
/// A long MaxInterval saves flash wear by letting an append wait for company (FORMAT.md §6.2); a group that fills its
/// page, an append that asks for less waiting, and a flush do not wait it out. Completion still means durable.
/// </summary>
public class FlushPolicyTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_group_that_reaches_FillBytes_is_made_durable_without_waiting_out_MaxInterval()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(LogFixture.Options(dir.Path));
        log.CreateTopic(new TopicConfig("t") { Flush = new FlushPolicy(1000, Long, FillBytes: 1024) });
        // Two records of 600 bytes fill 1 KiB: the second closes the group.
        var filling = Enumerable.Range(0, 2).Select(i => log.AppendAsync("t", new Record(null, new byte[600], i), 0).AsTask()).ToList();
        var positions = await Task.WhenAll(filling).WaitAsync(Timeout);
        Assert.Equal(2, log.GetPartitionInfo("t", 0).HighWatermark);

        // A lone record after it does wait for company, up to MaxInterval, until something flushes it.
        var lone = log.AppendAsync("t", new Record(null, new byte[100], 2), 0).AsTask();
        Assert.False(lone.IsCompleted);
        Assert.Equal(2, log.GetPartitionInfo("t", 0).HighWatermark);
        await log.FlushAsync("t");
        Assert.Equal(2, (await lone.WaitAsync(Timeout)).Offset);
        Assert.Equal([0L, 1L], positions.Select(p => p.Offset));
    }

    [Fact]
    public async Task An_append_with_a_short_maxWait_makes_its_whole_group_durable_that_soon()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(LogFixture.Options(dir.Path));
        log.CreateTopic(new TopicConfig("t") { Flush = new FlushPolicy(1000, Long) });
        var routine = log.AppendAsync("t", new Record(null, new byte[10], 0), 0).AsTask();
        Assert.False(routine.IsCompleted);
        // A QoS 1 publisher's reading (20 ms) and an alarm (zero) cut the group's wait; the routine one rides along.
        Assert.Equal(1, (await log.AppendAsync("t", new Record(null, new byte[10], 1), TimeSpan.FromMilliseconds(20), 0).AsTask().WaitAsync(Timeout)).Offset);
        Assert.Equal(0, (await routine.WaitAsync(Timeout)).Offset);
        Assert.Equal(2, (await log.AppendAsync("t", new Record(null, new byte[10], 2), TimeSpan.Zero, 0).AsTask().WaitAsync(Timeout)).Offset);
        Assert.Equal(3, log.GetPartitionInfo("t", 0).HighWatermark);

        // A maxWait longer than the topic's MaxInterval does not lengthen it.
        log.CreateTopic(new TopicConfig("fast") { Flush = new FlushPolicy(1000, TimeSpan.FromMilliseconds(1)) });
        Assert.Equal(0, (await log.AppendAsync("fast", new Record(null, new byte[10], 0), Long, 0).AsTask().WaitAsync(Timeout)).Offset);
    }

    [Fact]
    public void FillBytes_outside_0_to_1_MiB_is_refused_naming_the_setting()
    {
        var e = Assert.Throws<InvalidTopicConfigException>(() => new TopicConfig("t") { Flush = new FlushPolicy(1000, Long, FillBytes: -1) }.Validate());
        Assert.Equal("topic 't'.Flush.FillBytes", e.Setting);
        Assert.Throws<InvalidTopicConfigException>(() => new TopicConfig("t") { Flush = new FlushPolicy(1000, Long, FillBytes: (1 << 20) + 1) }.Validate());
    }

    [Fact]
    public async Task The_flush_policy_with_FillBytes_survives_a_reopen()
    {
        using var dir = new TempDir();
        var policy = new FlushPolicy(500, TimeSpan.FromSeconds(10), FillBytes: 4096);
        using (var log = EdgeLog.Open(LogFixture.Options(dir.Path))) log.CreateTopic(new TopicConfig("t") { Flush = policy });
        await using var reopened = EdgeLog.Open(LogFixture.Options(dir.Path));
        Assert.Equal(policy, reopened.GetTopic("t").Flush);
    }
}
