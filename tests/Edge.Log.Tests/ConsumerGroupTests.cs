using Edge.Log.Tests.TestKit;
using static Edge.Log.Tests.TestKit.LogFixture;

namespace Edge.Log.Tests;

public class ConsumerGroupTests
{
    private static async Task Fill(EdgeLog log, int perPartition, int partitions)
    {
        var tasks = new List<Task<RecordPosition>>();
        for (int p = 0; p < partitions; p++)
            for (int i = 0; i < perPartition; i++)
                tasks.Add(log.AppendAsync("t", new Record(null, Value(i), i), p).AsTask());
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_group_resumes_from_its_committed_offsets_after_reopen_and_reports_lag()
    {
        using var dir = new TempDir();
        var options = Options(dir.Path);
        using (var log = EdgeLog.Open(options))
        {
            log.CreateTopic(new TopicConfig("t") { Partitions = 2 });
            await Fill(log, 50, 2);
            using var member = log.Group("uplink").Join("m1", "t");
            Assert.Equal(2, member.Assignment.Count);
            var consumed = new List<LogRecord>();
            while (consumed.Count < 60) consumed.AddRange(await member.PollAsync(512).WaitAsync(TimeSpan.FromSeconds(10)));
            await member.CommitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            var group = log.Group("uplink");
            long lag = group.Lag("t", 0) + group.Lag("t", 1);
            Assert.Equal(100 - consumed.Count, lag);
        }
        using (var log = EdgeLog.Open(options))
        {
            var group = log.Group("uplink");
            long c0 = group.CommittedOffset("t", 0)!.Value, c1 = group.CommittedOffset("t", 1)!.Value;
            Assert.Equal(100 - (c0 + c1), group.Lag("t", 0) + group.Lag("t", 1));
            using var member = group.Join("m1", "t");
            var rest = new List<LogRecord>();
            while (rest.Count < 100 - (c0 + c1)) rest.AddRange(await member.PollAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.All(rest.Where(r => r.Partition == 0), r => Assert.True(r.Offset >= c0));
            Assert.All(rest.Where(r => r.Partition == 1), r => Assert.True(r.Offset >= c1));
            Assert.Equal(100 - (c0 + c1), rest.Count);
        }
    }

    [Fact]
    public async Task Members_share_partitions_and_rebalance_on_join_and_leave()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(Options(dir.Path));
        log.CreateTopic(new TopicConfig("t") { Partitions = 5 });
        var group = log.Group("g");
        var a = group.Join("a", "t");
        Assert.Equal(5, a.Assignment.Count);
        int changes = 0;
        a.AssignmentChanged += _ => changes++;
        var b = group.Join("b", "t");
        var c = group.Join("c", "t");
        var all = new[] { a, b, c }.SelectMany(m => m.Assignment).ToList();
        Assert.Equal(5, all.Count);
        Assert.Equal(5, all.Distinct().Count()); // every partition exactly once
        Assert.All(new[] { a, b, c }, m => Assert.InRange(m.Assignment.Count, 1, 2));
        Assert.Equal(2, changes);

        var moved = b.Assignment[0];
        b.Dispose(); // leaves: its partitions go to the others
        Assert.Equal(5, new[] { a, c }.SelectMany(m => m.Assignment).Distinct().Count());
        Assert.Equal(4, group.Generation); // joins of a, b, c, then b's leave
        var newOwner = new[] { a, c }.Single(m => m.Assignment.Contains(moved));
        Assert.Throws<RebalanceException>(() => { _ = b.CommitAsync(moved.Topic, moved.Partition, 0); });
        await newOwner.CommitAsync(moved.Topic, moved.Partition, 0).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Poll_waits_for_new_durable_records_without_polling()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(Options(dir.Path));
        log.CreateTopic(new TopicConfig("t") { Flush = FlushPolicy.Immediate });
        using var member = log.Group("g").Join("m", "t");
        var poll = member.PollAsync();
        Assert.False(poll.IsCompleted);
        await log.AppendAsync("t", new Record(null, Value(1), 1), 0);
        var records = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Value(1), records.Single().Value!.Value.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task Concurrent_commits_of_many_partitions_all_become_durable(int intervalMs)
    {
        using var dir = new TempDir();
        var options = Options(dir.Path);
        options.OffsetCommitInterval = TimeSpan.FromMilliseconds(intervalMs);
        using (var log = EdgeLog.Open(options))
        {
            log.CreateTopic(new TopicConfig("t") { Partitions = 16 });
            using var member = log.Group("g").Join("m", "t");
            for (int round = 1; round <= 50; round++)
            {
                int r = round;
                await Task.WhenAll(Enumerable.Range(0, 16).Select(p => Task.Run(() => member.CommitAsync("t", p, r)))).WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        using (var log = EdgeLog.Open(options))
            for (int p = 0; p < 16; p++) Assert.Equal(50, log.Group("g").CommittedOffset("t", p));
    }
}
