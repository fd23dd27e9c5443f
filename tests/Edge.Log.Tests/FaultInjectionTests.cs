using System.Text;
using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

public class FaultInjectionTests
{
    private const int Records = 54; // enough to roll segments: new segment files whose directory entries must be synced

    private static readonly TopicConfig Topic = new("t")
    {
        Partitions = 2,
        SegmentBytes = 4096,
        Flush = new FlushPolicy(3, TimeSpan.Zero),
    };

    private static byte[] Value(int i) => Encoding.UTF8.GetBytes($"{i:D4}:" + new string('x', 40 + i * 37 % 300));

    /// <summary>Runs the workload on <paramref name="fs"/>; returns the acknowledged appends (id -> position).</summary>
    private static async Task<Dictionary<int, RecordPosition>> Workload(string dir, Edge.Log.IO.IFileSystem fs, Action arm)
    {
        var acked = new Dictionary<int, RecordPosition>();
        var log = EdgeLog.Open(new LogOptions { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1), IndexIntervalBytes = 128 }, fileSystem: fs);
        try
        {
            log.CreateTopic(Topic);
            arm();
            for (int i = 0; i < Records; i += 3)
            {
                // Three concurrent appends per round: they share group commits.
                var round = Enumerable.Range(i, 3).Select(id => (id, log.AppendAsync("t", new Record(Encoding.UTF8.GetBytes($"k{id % 4}"), Value(id), 10_000 + id)).AsTask())).ToList();
                foreach (var (id, task) in round)
                {
                    try { acked[id] = await task.WaitAsync(TimeSpan.FromSeconds(30)); }
                    catch (LogException) { }
                }
            }
        }
        finally
        {
            log.Dispose();
        }
        return acked;
    }

    [Fact]
    public async Task A_crash_at_every_write_and_sync_boundary_loses_no_acknowledged_record_and_shows_no_garbage()
    {
        using var dryDir = new TempDir();
        var dry = new DirectoryEntriesFileSystem();
        await Workload(dryDir.Path, dry, () => { });
        int boundaries = dry.Boundaries;
        Assert.True(boundaries > 50, $"the workload has only {boundaries} boundaries");
        var random = new Random(7);
        int checkedStates = 0;

        for (int crashAt = 1; crashAt <= boundaries; crashAt++)
        {
            using var dir = new TempDir();
            // Directory entries too are durable only once their directory is synced: a missing directory fsync after
            // a new segment or a rename loses acknowledged records here.
            var fs = new DirectoryEntriesFileSystem();
            var acked = await Workload(dir.Path, fs, () => fs.CrashAt = crashAt);
            foreach (var mode in Enum.GetValues<CrashMode>())
            {
                var after = fs.AfterCrash(mode, random);
                using var log = EdgeLog.Open(new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1), IndexIntervalBytes = 128 }, fileSystem: after);
                var found = new Dictionary<int, RecordPosition>();
                for (int p = 0; p < Topic.Partitions; p++)
                {
                    foreach (var r in LogFixture.ReadAll(log, "t", p))
                    {
                        // Anything present is exactly a record the workload appended: no garbage, no mixed bytes.
                        int id = int.Parse(Encoding.UTF8.GetString(r.Value!.Value.Span[..4]));
                        Assert.Equal(Value(id), r.Value!.Value.ToArray());
                        Assert.Equal(Encoding.UTF8.GetBytes($"k{id % 4}"), r.Key!.Value.ToArray());
                        Assert.Equal(10_000 + id, r.Timestamp);
                        Assert.True(found.TryAdd(id, new RecordPosition(p, r.Offset)), $"record {id} appears twice");
                    }
                }
                foreach (var (id, pos) in acked)
                {
                    Assert.True(found.TryGetValue(id, out var at), $"crash at boundary {crashAt} ({mode}): acknowledged record {id} is missing");
                    Assert.Equal(pos, at);
                }
                // The recovered log takes new appends after its last record.
                var next = await log.AppendAsync("t", new Record(null, Value(999), 1), 0).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.True(found.Values.Where(v => v.Partition == 0).All(v => v.Offset < next.Offset));
                checkedStates++;
            }
        }
        Assert.Equal(boundaries * 3, checkedStates);
    }

    [Fact]
    public async Task A_failed_write_is_reported_through_WriteFailure_the_partition_refuses_appends_and_a_reopen_recovers_every_acknowledged_record()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem();
        var options = new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) };
        var acked = new List<RecordPosition>();
        var log = EdgeLog.Open(options, fileSystem: fs);
        try
        {
            log.CreateTopic(Topic);
            for (int i = 0; i < 6; i++) acked.Add(await log.AppendAsync("t", new Record(null, Value(i), 1), 0).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.False(log.WriteFailure.IsCompleted);

            fs.CrashAt = fs.Boundaries + 1; // the next write fails, as on a full disk or a dying SD card
            await Assert.ThrowsAsync<PartitionFailedException>(() => log.AppendAsync("t", new Record(null, Value(6), 1), 0).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
            var reported = await log.WriteFailure.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(("t", 0), (reported.Topic, reported.Partition));
            Assert.IsType<SimulatedCrashException>(reported.InnerException);
            Assert.StartsWith("partition t/0 stopped after a write failure (simulated crash)", reported.Message);
            // From now on refused at once, whatever the disk does: only reopening (recovery) brings the partition back.
            var again = await Assert.ThrowsAsync<PartitionFailedException>(() => log.AppendAsync("t", new Record(null, Value(7), 1), 0).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Same(reported.InnerException, again.InnerException);
        }
        finally
        {
            log.Dispose();
        }

        using var reopened = EdgeLog.Open(new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) }, fileSystem: fs.AfterCrash(CrashMode.KeepWritten, new Random(1)));
        var records = LogFixture.ReadAll(reopened, "t", 0).ToList();
        Assert.Equal(acked.Select(p => p.Offset), records.Select(r => r.Offset));
        var next = await reopened.AppendAsync("t", new Record(null, Value(8), 1), 0).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(records[^1].Offset + 1, next.Offset);
        Assert.False(reopened.WriteFailure.IsCompleted);
    }
}
