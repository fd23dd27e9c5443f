using System.Text;
using Edge.Log;
using Edge.Uplink.Tests.TestKit;

namespace Edge.Uplink.Tests;

/// <summary>
/// Faults in the stored log itself (issue 10, item 4): a flipped byte in a segment — bit rot on an SD card — costs the
/// readings of the batch it hits and nothing else, and an unexpected read error stops a partition only until it is
/// restarted, visibly. Real files, a real Mosquitto broker.
/// </summary>
public class CorruptionTests
{
    [Fact]
    public async Task A_corrupt_batch_in_a_stored_segment_is_dead_lettered_with_its_reason_and_forwarding_goes_on_past_it()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        var options = Rig.Options_(broker.Port);
        int partition = KeyPartitioner.PartitionFor(Encoding.UTF8.GetBytes("mag-1"), 4);
        string segment = Path.Combine(dir.Path, "log", "topics", "traffic", partition.ToString(), "00000000000000000000.log");

        // Three group commits: 40 readings, the victim alone in its own batch, 40 more; then a clean close.
        long victimStart, victimEnd;
        IReadOnlyList<(string Topic, int Partition, long Offset)> stored;
        await using (var writer = new Rig(dir.Path, options))
        {
            await writer.AppendAsync("traffic", "mag-1", 40);
            victimStart = new FileInfo(segment).Length;
            await writer.AppendAsync("traffic", "mag-1", 1);
            victimEnd = new FileInfo(segment).Length;
            await writer.AppendAsync("traffic", "mag-1", 40);
            await writer.AppendAsync("health", "spo2-1", 20);
            stored = writer.Stored();
        }
        Assert.True(victimEnd > victimStart && new FileInfo(segment).Length > victimEnd, "the victim batch is not in the middle of the segment");
        StoredBytes.Flip(segment, (victimStart + victimEnd) / 2, 0x5A);

        using var sink = new LogSink();
        await using var rig = new Rig(dir.Path, options, loggers: sink);
        rig.Start();
        var expected = stored.Where(s => s != ("traffic", partition, 40L)).ToList();
        await cloud.WaitFor(m => Delivery.AllArrived(expected, m), TimeSpan.FromSeconds(60), "every reading but the corrupt one");
        // Forwarding goes on: readings appended now arrive too.
        await rig.AppendAsync("traffic", "mag-1", 10);
        var later = Enumerable.Range(81, 10).Select(o => ("traffic", partition, (long)o)).ToList();
        await cloud.WaitFor(m => Delivery.AllArrived(later, m), TimeSpan.FromSeconds(60), "readings appended after the corrupt batch");

        var warning = await sink.WaitFor(e => e.Message.Contains("unreadable", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "about the unreadable offsets");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"offsets 40-40 are unreadable (corrupt batch in {segment} at byte {victimStart}", warning.Message);
        Assert.Contains("CRC32C mismatch", warning.Message);
        Assert.DoesNotContain(cloud.Messages, m => m.LogTopic == "traffic" && m.Partition == partition && m.First <= 40 && 40 <= m.Last);
        Assert.Equal(1, rig.Uplink.Counters.Unreadable);
        Assert.Equal(1, rig.Uplink.Status().Unreadable);
        Assert.Empty(rig.Uplink.Status().Stopped!);

        // The dead letter names the lost offsets and why; there is no reading to copy.
        var letter = Assert.Single(rig.Log.Read("deadletter", 0, 0).Records);
        string Header(string key) => Encoding.UTF8.GetString(letter.Headers.Single(h => h.Key == key).Value!.Value.Span);
        Assert.Null(letter.Value);
        Assert.Equal("traffic", Header("edge-topic"));
        Assert.Equal(partition.ToString(), Header("edge-partition"));
        Assert.Equal("40", Header("edge-offset"));
        Assert.Equal("40", Header("edge-last-offset"));
        Assert.StartsWith($"unreadable: corrupt batch in {segment} at byte {victimStart}: CRC32C mismatch", Header("edge-reason"));
        // Committed past it: a restart does not stop there again.
        await Wait.Until(() => rig.Log.Group(Uplink.GroupId).CommittedOffset("traffic", partition) == 91, TimeSpan.FromSeconds(30), "the offset is committed past the corrupt batch");
    }

    [Fact]
    public async Task An_unexpected_read_error_is_logged_and_shown_in_status_at_once_and_the_partition_restarts_when_it_clears()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        using var sink = new LogSink();
        var fs = new FailingReads();
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port), loggers: sink, fileSystem: fs);
        int partition = KeyPartitioner.PartitionFor(Encoding.UTF8.GetBytes("mag-1"), 4);
        await rig.AppendAsync("traffic", "mag-1", 30);
        await rig.AppendAsync("health", "spo2-1", 30);
        var stored = rig.Stored();
        fs.Under = Path.Combine(dir.Path, "log", "topics", "traffic", partition.ToString()) + "/";
        fs.Failing = true;
        rig.Start();

        // Logged and in status while it happens, not at shutdown; the other partitions go on meanwhile.
        var error = await sink.WaitFor(e => e.Message.Contains($"uplink traffic/{partition}: forwarding stopped", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "about the stopped partition");
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("simulated EIO", error.Message);
        await Wait.Until(() => rig.Uplink.Status().Stopped!.ContainsKey($"traffic/{partition}"), TimeSpan.FromSeconds(30), "status shows the partition restarting");
        Assert.Contains("simulated EIO", rig.Uplink.Status().Stopped![$"traffic/{partition}"]);
        var health = stored.Where(s => s.Topic == "health").ToList();
        await cloud.WaitFor(m => Delivery.AllArrived(health, m), TimeSpan.FromSeconds(60), "the health readings while traffic is stopped");
        // It keeps trying, with backoff, and recovers by itself when the fault clears.
        await sink.WaitFor(e => e.Message.Contains($"uplink traffic/{partition}: forwarding restarts", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "about a restart");
        fs.Failing = false;
        await cloud.WaitFor(m => Delivery.AllArrived(stored, m), TimeSpan.FromSeconds(60), "every reading once the read error cleared");
        await Wait.Until(() => rig.Uplink.Status().Stopped!.Count == 0, TimeSpan.FromSeconds(30), "status shows every partition running again");
        Assert.True(rig.Uplink.Counters.Restarts >= 1);
        await rig.StopAsync();
        Delivery.AssertComplete(stored, cloud.Messages);
    }
}
