using Edge.Log.Tests.TestKit;
using static Edge.Log.Tests.TestKit.LogFixture;

namespace Edge.Log.Tests;

/// <summary>
/// Committed consumer offsets live in the LiteDB catalog, which goes through the log's file system: a crash at any
/// write, sync or directory boundary of a commit leaves the committed offset as it was before or after that commit.
/// </summary>
public class OffsetCommitCrashTests
{
    private const long Before = 3;
    private const long After = 7;

    private static LogOptions Options(string dir) => new() { Directory = dir, OffsetCommitInterval = TimeSpan.Zero, MaintenanceInterval = TimeSpan.FromHours(1) };

    /// <summary>Commits <see cref="Before"/>, arms the crash, commits <see cref="After"/>; returns the boundaries the second commit took.</summary>
    private static async Task<(int From, int To)> CommitTwice(string dir, DirectoryEntriesFileSystem fs, Func<int, int> crashAt)
    {
        var log = EdgeLog.Open(Options(dir), fileSystem: fs);
        int from;
        try
        {
            log.CreateTopic(new TopicConfig("t") { Partitions = 1 });
            for (int i = 0; i < 10; i++) await log.AppendAsync("t", new Record(null, Value(i), i), 0).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            using var member = log.Group("uplink").Join("m1", "t");
            await member.CommitAsync("t", 0, Before).WaitAsync(TimeSpan.FromSeconds(30));
            from = fs.Boundaries;
            fs.CrashAt = crashAt(from);
            try
            {
                await member.CommitAsync("t", 0, After).WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (LogException) when (fs.Inner.Crashed) // the commit met the crash: not acknowledged
            {
            }
            return (from, fs.Boundaries);
        }
        finally
        {
            try { log.Dispose(); }
            catch (IOException) when (fs.Inner.Crashed) { } // closing a crashed disk: what it holds is judged below
        }
    }

    [Fact]
    public async Task A_crash_at_every_boundary_of_an_offset_commit_recovers_the_previous_or_the_new_committed_offset()
    {
        using var dryDir = new TempDir();
        var (from, to) = await CommitTwice(dryDir.Path, new DirectoryEntriesFileSystem(), _ => int.MaxValue);
        Assert.True(to - from >= 2, $"an offset commit took {to - from} file-system boundaries: the catalog does not go through the log's file system");
        var random = new Random(11);
        var seen = new HashSet<long>();

        for (int crashAt = from + 1; crashAt <= to; crashAt++)
        {
            using var dir = new TempDir();
            var fs = new DirectoryEntriesFileSystem();
            await CommitTwice(dir.Path, fs, _ => crashAt);
            foreach (var mode in Enum.GetValues<CrashMode>())
            {
                using var log = EdgeLog.Open(Options(dir.Path), fileSystem: fs.AfterCrash(mode, random));
                long? committed = log.Group("uplink").CommittedOffset("t", 0);
                Assert.True(committed is Before or After, $"crash at boundary {crashAt} of {from + 1}..{to} ({mode}): committed offset {committed?.ToString() ?? "none"}");
                seen.Add(committed!.Value);
                // The catalog is whole: the topic is there and takes a new commit.
                Assert.Equal(10, log.GetPartitionInfo("t", 0).HighWatermark);
                using var member = log.Group("uplink").Join("m1", "t");
                await member.CommitAsync("t", 0, 9).WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(9, log.Group("uplink").CommittedOffset("t", 0));
            }
        }
        Assert.Equal([Before, After], seen.Order());
    }
}
