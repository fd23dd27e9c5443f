using System.Text.Json;
using Edge.Log;
using Edge.Readings;
using Edge.Uplink.Connection;
using Edge.Uplink.Payload;
using Edge.Uplink.Tests.TestKit;

namespace Edge.Uplink.Tests;

/// <summary>The uplink against a real Mosquitto: delivery, order, keys, formats, outages.</summary>
public class ForwardingTests
{
    [Theory]
    [InlineData(PayloadFormat.Json)]
    [InlineData(PayloadFormat.JsonBatch)]
    public async Task Every_reading_arrives_in_order_per_partition_with_its_idempotency_key_and_offsets_are_committed(PayloadFormat format)
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => { o.Format = format; o.BatchMaxReadings = 100; }));
        for (int s = 0; s < 8; s++) await rig.AppendAsync(s % 4 == 0 ? "health" : "traffic", $"sensor-{s}", 500);
        rig.Start();
        var stored = rig.Stored();
        await cloud.WaitFor(m => Delivery.AllArrived(stored, m), TimeSpan.FromSeconds(60), "every reading");
        var (unique, duplicates) = Delivery.AssertComplete(stored, cloud.Messages);
        Assert.Equal(4000, unique);
        Assert.Equal(0, duplicates); // no outage, no crash: exactly once in practice

        var first = cloud.Messages[0];
        Assert.Equal(first.Key, first.KeyProperty); // MQTT 5 user property = payload key
        Assert.StartsWith("gw-test/", first.Key);
        if (format == PayloadFormat.Json)
        {
            Assert.Matches("^edge/gw-test/(traffic|health)/sensor-[0-7]$", first.Topic);
            var reading = ReadingJsonCodec.Decode(JsonSerializer.SerializeToUtf8Bytes(first.Json.GetProperty("reading")));
            Assert.Equal(first.Topic.Split('/')[^1], reading.SensorId);
        }
        else
        {
            Assert.Matches("^edge/gw-test/(traffic|health)/batch$", first.Topic);
            Assert.Equal(first.Last - first.First + 1, first.Json.GetProperty("readings").GetArrayLength());
        }

        await rig.StopAsync();
        var group = rig.Log.Group(Uplink.GroupId);
        foreach (var t in rig.Log.Topics.Where(t => t.Name is "traffic" or "health"))
            for (int p = 0; p < t.Partitions; p++)
                Assert.Equal(rig.Log.GetPartitionInfo(t.Name, p).HighWatermark, group.CommittedOffset(t.Name, p) ?? 0);
    }

    [Fact]
    public async Task Binary_batches_decode_to_exactly_the_stored_readings()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => o.Format = PayloadFormat.BinaryBatch));
        await rig.AppendAsync("traffic", "mag-1", 1500);
        rig.Start();
        await cloud.WaitFor(m => m.Sum(x => BinaryBatchCodec.Decode(x.Payload).Readings.Count) >= 1500, TimeSpan.FromSeconds(60), "1500 readings");
        var decoded = cloud.Messages.Select(m => BinaryBatchCodec.Decode(m.Payload)).ToList();
        var readings = decoded.SelectMany(d => d.Readings).ToList();
        Assert.Equal(Enumerable.Range(0, 1500).Select(i => (long)i), readings.Select(r => r.Sequence));
        int partition = decoded[0].Key.Partition;
        var stored = rig.Log.Read("traffic", partition, 0, 1 << 24).Records.Select(r => ReadingBinaryCodec.Decode(r.Value!.Value.Span)).ToList();
        Assert.Equal(stored, readings);
        Assert.Equal(cloud.Messages[0].KeyProperty, decoded[0].Key.ToString());
    }

    [Fact]
    public async Task Records_batches_carry_exactly_the_stored_reading_bytes()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => { o.Format = PayloadFormat.RecordsBatch; o.BatchMaxReadings = 400; }));
        await rig.AppendAsync("traffic", "mag-1", 1500);
        await rig.AppendAsync("health", "hr-1", 700);
        rig.Start();
        var stored = rig.Stored();
        await cloud.WaitFor(m => Delivery.AllArrived(stored, m), TimeSpan.FromSeconds(60), "every reading");
        Delivery.AssertComplete(stored, cloud.Messages);
        foreach (var m in cloud.Messages)
        {
            Assert.Matches("^edge/gw-test/(traffic|health)/batch$", m.Topic);
            var (key, readings, bytes) = RecordsBatchDecoder.Decode(m.Payload);
            Assert.Equal(m.KeyProperty, key.ToString());
            Assert.True(readings.Count <= 400);
            // Content, not only the envelope: each reading is the stored record's bytes at its offset, unchanged.
            var records = rig.Log.Read(key.Topic, key.Partition, key.First, 1 << 24).Records.Take(readings.Count).ToList();
            Assert.Equal(records.Select(r => r.Offset), Enumerable.Range(0, readings.Count).Select(i => key.First + i));
            Assert.Equal(records.Select(r => r.Value!.Value.ToArray()), bytes);
            Assert.Equal(records.Select(r => ReadingBinaryCodec.Decode(r.Value!.Value.Span)), readings);
        }
        Assert.Equal(Enumerable.Range(0, 1500).Select(i => (long)i),
            cloud.Messages.Select(m => RecordsBatchDecoder.Decode(m.Payload)).Where(d => d.Key.Topic == "traffic").SelectMany(d => d.Readings).Select(r => r.Sequence));
    }

    [Fact]
    public async Task Json_batches_hold_the_stored_readings_as_rows_of_their_sensors_table()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => { o.Format = PayloadFormat.JsonBatch; o.BatchMaxReadings = 300; }));
        await rig.AppendAsync("traffic", "mag-1", 1000);
        rig.Start();
        var stored = rig.Stored();
        await cloud.WaitFor(m => Delivery.AllArrived(stored, m), TimeSpan.FromSeconds(60), "every reading");
        foreach (var m in cloud.Messages)
        {
            var json = JsonBatchReader.Readings(m.Json);
            var records = rig.Log.Read("traffic", m.Partition, m.First, 1 << 24).Records.Take(json.Count);
            Assert.Equal(records.Select(r => ReadingBinaryCodec.Decode(r.Value!.Value.Span)), json);
            Assert.Equal(m.Last - m.First + 1, json.Count);
        }
    }

    [Fact]
    public async Task Many_broker_restarts_under_load_lose_nothing_keep_order_and_read_nothing_while_down()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => o.MaxInFlight = 50));
        rig.Start();
        using var load = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            for (int round = 0; !load.IsCancellationRequested; round++)
                await rig.AppendAsync(round % 5 == 0 ? "health" : "traffic", $"s{round % 7}", 50);
        });
        for (int restart = 0; restart < 6; restart++)
        {
            await cloud.WaitFor(m => m.Count > 200 * (restart + 1), TimeSpan.FromSeconds(60), "traffic flowing");
            broker.Stop();
            await Wait.Until(() => rig.Uplink.Status().State != UplinkState.Connected, TimeSpan.FromSeconds(30), "the uplink noticed the outage");
            long sentBefore = rig.Uplink.Counters.Sent;
            await rig.AppendAsync("traffic", "outage", 5000);
            // Nothing is read from the log while disconnected (at most what was admitted as the link went down); that
            // the backlog stays on disk rather than in memory is A_long_outage_keeps_its_backlog_on_disk.
            Assert.InRange(rig.Uplink.Counters.Sent - sentBefore, 0, rig.Options.MaxInFlight);
            broker.Start();
        }
        load.Cancel();
        await producer;
        var stored = rig.Stored();
        await cloud.WaitWhileArriving(m => Delivery.AllArrived(stored, m), TimeSpan.FromSeconds(30), "every reading after the restarts"); // ~150k readings
        var (unique, duplicates) = Delivery.AssertComplete(stored, cloud.Messages);
        Assert.Equal(stored.Count, unique);
        // Duplicates come from two places: the uplink resending what was in flight when the broker went (counted as
        // Resent), and the broker redelivering to the subscriber what it had sent before the restart (DUP flag set).
        int resentByUplink = cloud.Messages.Where(m => !m.Dup).GroupBy(m => m.Key).Sum(g => g.Count() - 1);
        Assert.True(duplicates >= resentByUplink);
        Assert.True(rig.Uplink.Counters.Resent >= resentByUplink, $"{resentByUplink} duplicates without the DUP flag, but the uplink knows of {rig.Uplink.Counters.Resent} resent");
    }

    [Fact]
    public async Task A_long_outage_keeps_its_backlog_on_disk_not_in_memory_and_sends_all_of_it_after()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        // The cloud's persistent session (QoS 1 subscription, session expiry 1 h) is set up now and its client leaves
        // before the outage: a client retrying its connection every 100 ms holds megabytes of connection attempts on
        // the heap for their timeouts, noise only this test's measure would see. The broker queues for it meanwhile.
        await (await Subscriber.ConnectAsync(broker.Port)).DisposeAsync();
        // Batches of 500 records as stored: the backlog's 200,000 readings reach the cloud in seconds.
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => { o.MaxInFlight = 50; o.Format = PayloadFormat.RecordsBatch; o.BatchMaxReadings = 500; }));
        rig.Start();
        await rig.AppendAsync("traffic", "before", 2000);
        await Wait.Until(() => rig.Uplink.Counters.Readings >= 2000, TimeSpan.FromSeconds(60), "the uplink forwarding");
        broker.Stop();
        await Wait.Until(() => rig.Uplink.Status().State != UplinkState.Connected, TimeSpan.FromSeconds(30), "the uplink noticed the outage");
        var beforeOutage = rig.Stored().ToHashSet();
        long sentBefore = rig.Uplink.Counters.Sent;
        GC.Collect();
        long heapBefore = GC.GetTotalMemory(true), diskBefore = rig.Log.DiskBytes;
        // ~14 MB on disk, in batches of 1,000 as producers append (200,000 appends in flight at once would grow the
        // log's append queues to hold them all: a high-water capacity that says nothing about the backlog).
        for (int batch = 0; batch < 200; batch++) await rig.AppendAsync("traffic", $"outage-{batch % 4}", 1000);
        GC.Collect();
        long heapAfter = GC.GetTotalMemory(true), backlog = rig.Log.DiskBytes - diskBefore;
        // Holding the backlog in memory — as record copies, readings or encoded messages, each larger than on disk —
        // grows the heap by at least its stored size; keeping it on disk leaves it within a quarter of that (measured:
        // ~0.2 MB).
        Assert.True(heapAfter - heapBefore < backlog / 4, $"heap grew {(heapAfter - heapBefore) >> 10} KiB while the broker was down and {backlog >> 10} KiB were stored");
        Assert.InRange(rig.Uplink.Counters.Sent - sentBefore, 0, rig.Options.MaxInFlight);
        broker.Start();
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        var outage = rig.Stored().Where(r => !beforeOutage.Contains(r)).ToList();
        await cloud.WaitWhileArriving(m => Delivery.AllArrived(outage, m), TimeSpan.FromSeconds(30), "the outage's backlog");
    }

    [Fact]
    public async Task Health_readings_overtake_a_traffic_backlog_and_the_catch_up_limit_caps_the_rate()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => { o.MaxInFlight = 5; o.CatchUp.ReadingsPerSecond = 400; }));
        for (int s = 0; s < 4; s++) await rig.AppendAsync("traffic", $"loop-{s}", 600);
        await rig.AppendAsync("health", "fall-1", 20); // appended last: an alert behind 2,400 traffic readings
        rig.Start();
        var stored = rig.Stored();
        await cloud.WaitFor(m => Delivery.AllArrived(stored, m), TimeSpan.FromSeconds(60), "the backlog");
        var order = cloud.Messages.Select(m => m.LogTopic).ToList();
        int lastHealth = order.LastIndexOf("health");
        Assert.True(lastHealth < 60, $"the last health reading arrived at position {lastHealth} of {order.Count}");
        // The limiter holds one second of tokens; after that arrivals follow the configured rate.
        var times = cloud.Messages.Select(m => m.At).ToList();
        double seconds = (times[^1] - times[400]).TotalSeconds;
        double rate = (times.Count - 401) / seconds;
        Assert.InRange(rate, 200, 480);
    }
}
