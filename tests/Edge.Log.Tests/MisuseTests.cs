using Edge.Log.Tests.TestKit;
using static Edge.Log.Tests.TestKit.LogFixture;

namespace Edge.Log.Tests;

public class MisuseTests
{
    [Fact]
    public async Task Misuse_gets_typed_errors_that_name_the_problem()
    {
        using var dir = new TempDir();
        using var log = EdgeLog.Open(Options(dir.Path));
        log.CreateTopic(new TopicConfig("traffic") { Partitions = 2 });

        var unknown = Assert.Throws<UnknownTopicException>(() => log.AppendAsync("trafic", new Record("k"u8.ToArray(), null, 0)));
        Assert.Contains("'trafic'", unknown.Message);
        Assert.Contains("traffic", unknown.Message);

        var range = Assert.Throws<PartitionOutOfRangeException>(() => log.Read("traffic", 2, 0));
        Assert.Contains("0..1", range.Message);

        var big = new byte[new LogOptions().MaxRecordBytes + 1];
        var tooLarge = await Assert.ThrowsAsync<RecordTooLargeException>(async () => await log.AppendAsync("traffic", new Record(null, big, 0), 0));
        Assert.Equal(new LogOptions().MaxRecordBytes, tooLarge.Limit);

        var config = Assert.Throws<InvalidTopicConfigException>(() => log.CreateTopic(new TopicConfig("x") { Flush = new FlushPolicy(0, TimeSpan.Zero) }));
        Assert.Equal("topic 'x'.Flush.MaxUnflushedRecords", config.Setting);
        Assert.Throws<InvalidTopicConfigException>(() => log.CreateTopic(new TopicConfig("bad/name")));
        var partitions = Assert.Throws<InvalidTopicConfigException>(() => log.CreateTopic(new TopicConfig("traffic") { Partitions = 3 }));
        Assert.Contains("is 2 on disk", partitions.Message);
    }

    [Fact]
    public void A_log_directory_opens_in_one_place_at_a_time()
    {
        using var dir = new TempDir();
        using var first = EdgeLog.Open(Options(dir.Path));
        var error = Assert.Throws<LogDirectoryLockedException>(() => EdgeLog.Open(Options(dir.Path)));
        Assert.Contains(dir.Path, error.Message);
        Assert.Contains(Environment.ProcessId.ToString(), error.Message);
    }

    [Fact]
    public void Invalid_log_options_fail_at_open_naming_the_setting()
    {
        var error = Assert.Throws<InvalidTopicConfigException>(() => EdgeLog.Open(new LogOptions { Directory = "" }));
        Assert.Equal("Log.Directory", error.Setting);
    }
}
