using System.Text;
using Edge.Log;
using Edge.Readings;
using Edge.Uplink.Tests.TestKit;

namespace Edge.Uplink.Tests;

/// <summary>
/// Messages the broker will not take. Mosquitto 2.0.11 answers a PUBLISH over message_size_limit with PUBACK reason
/// 0x95 "packet too large" and then closes the connection (measured here; mosquitto.conf(5) says "implementation
/// specific error"). The refusal policy splits a batch in halves until the parts fit and parks a single reading that
/// is still too large in the dead-letter log topic with the reason. The partition moves on: later readings are
/// delivered and the offset is committed past it.
/// </summary>
public class RefusalTests
{
    private const int SizeLimit = 1500; // bytes of payload; one ordinary JSON reading is ~250, the oversized one ~2,400

    [Theory]
    [InlineData(PayloadFormat.Json)]
    [InlineData(PayloadFormat.JsonBatch)]
    public async Task Oversized_batches_are_split_until_they_fit_and_a_reading_that_never_fits_is_dead_lettered_with_the_reason_without_stalling(PayloadFormat format)
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"), $"message_size_limit {SizeLimit}");
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        using var sink = new LogSink();
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => { o.Format = format; o.BatchMaxReadings = 100; }), loggers: sink);
        await rig.AppendAsync("traffic", "mag-1", 120);
        var oversized = await AppendOversizedAsync(rig.Log, "mag-1");
        await rig.AppendAsync("traffic", "mag-1", 60);
        await rig.AppendAsync("health", "spo2-1", 40);
        rig.Start();

        var expected = rig.Stored().Where(s => s != ("traffic", oversized.Partition, oversized.Offset)).ToList();
        await cloud.WaitFor(m => Delivery.AllArrived(expected, m), TimeSpan.FromSeconds(60), "every reading that fits");
        var parked = await sink.WaitFor(e => e.Message.Contains("parked offsets", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "about the parked reading");
        Assert.Equal(LogLevel.Error, parked.Level);
        Assert.Contains($"parked offsets {oversized.Offset}-{oversized.Offset} in log topic deadletter: PacketTooLarge", parked.Message);
        await rig.StopAsync();

        // Mosquitto may still accept a message that was in flight behind the refused batch before it closes the
        // connection; the refused batch's readings, split and resent, then arrive after it (UPLINK.md §7). Only the
        // refused batch may arrive late: everything else keeps offset order.
        var (unique, _) = Delivery.AssertComplete(expected, cloud.Messages,
            late => late.Topic == "traffic" && late.Partition == oversized.Partition && Math.Abs(late.Offset - oversized.Offset) < 100);
        Assert.Equal(220, unique);
        Assert.DoesNotContain(cloud.Messages, m => m.First <= oversized.Offset && oversized.Offset <= m.Last && m.LogTopic == "traffic" && m.Partition == oversized.Partition);
        Assert.All(cloud.Messages, m => Assert.True(m.Payload.Length <= SizeLimit, $"a {m.Payload.Length}-byte message got through"));
        if (format == PayloadFormat.JsonBatch) Assert.True(rig.Uplink.Counters.Splits > 0, "the 100-reading batches were never split");
        Assert.Equal(1, rig.Uplink.Counters.DeadLettered);
        Assert.True(rig.Uplink.Counters.Refusals["PacketTooLarge"] >= 1);

        // The dead letter is the reading unchanged, with where it came from and why.
        var letter = Assert.Single(rig.Log.Read("deadletter", 0, 0).Records);
        Assert.Equal(oversized.Value, letter.Value!.Value.ToArray());
        string Header(string key) => Encoding.UTF8.GetString(letter.Headers.Single(h => h.Key == key).Value!.Value.Span);
        Assert.Equal("traffic", Header("edge-topic"));
        Assert.Equal(oversized.Partition.ToString(), Header("edge-partition"));
        Assert.Equal(oversized.Offset.ToString(), Header("edge-offset"));
        Assert.Equal("PacketTooLarge", Header("edge-reason"));
        // Committed past it: a restart does not try it again.
        var group = rig.Log.Group(Uplink.GroupId);
        Assert.Equal(rig.Log.GetPartitionInfo("traffic", oversized.Partition).HighWatermark, group.CommittedOffset("traffic", oversized.Partition));
    }

    // 32 values with long names and units: valid, but ~2.4 kB as JSON, over the broker's limit on its own.
    private static async Task<(int Partition, long Offset, byte[] Value)> AppendOversizedAsync(EdgeLog log, string sensor)
    {
        var values = Enumerable.Range(0, Reading.MaxValues).Select(i => new ReadingValue($"channel_{i:D2}_of_the_big_one", 1000.125 + i, "{unit_of_value}")).ToList();
        var reading = new Reading(sensor, ReadingKinds.TrafficVehicle, DateTimeOffset.UtcNow, values, ReadingQuality.Simulated, 1_000_000);
        byte[] value = ReadingBinaryCodec.Encode(reading);
        var position = await log.AppendAsync("traffic", new Edge.Log.Record(Encoding.UTF8.GetBytes(sensor), value, reading.Timestamp.ToUnixTimeMilliseconds()));
        return (position.Partition, position.Offset, value);
    }
}
