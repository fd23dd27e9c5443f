using System.Collections.Concurrent;
using System.Text;
using Edge.Local.Tests.TestKit;
using Edge.Readings;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Local.Tests;

public class FuzzTests
{
    private const int Payloads = 100_000;

    [Fact]
    public async Task A_hundred_thousand_random_and_malformed_payloads_are_each_answered_or_refused_and_nothing_invalid_is_stored()
    {
        await using var rig = await LocalRig.StartAsync(new Query.QueryOptions { QueriesPerSecond = 1e9, Burst = 1_000_000 });
        // Eight clients: the broker handles one client's PUBLISHes in order, and a valid ingest waits for its fsync.
        var clients = new Client[8];
        for (int k = 0; k < clients.Length; k++) clients[k] = await Client.ConnectAsync(rig.Port);
        var c = clients[0];
        var replies = new ConcurrentDictionary<int, byte>();
        long expected = long.MaxValue;
        var allReplied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (int k = 0; k < clients.Length; k++)
        {
            var client = clients[k];
            client.MessageReceived += m =>
            {
                if (m.Topic.StartsWith("fuzz/replies/", StringComparison.Ordinal) && m.CorrelationData is { Length: 4 } cd) replies.TryAdd(BitConverter.ToInt32(cd), 0);
                if (replies.Count >= Interlocked.Read(ref expected)) allReplied.TrySetResult();
            };
            await client.Mqtt.SubscribeAsync($"fuzz/replies/{k}", MqttQualityOfServiceLevel.AtLeastOnce);
        }
        var random = new Random(20261129);
        var valid = new ConcurrentDictionary<string, Reading>();
        long queriesAccepted = 0, ingestAccepted = 0, refused = 0;
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        await Parallel.ForEachAsync(Enumerable.Range(0, Payloads), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            byte[] payload;
            lock (random) payload = Mutate(random, i, out _);
            bool query = i % 2 == 0;
            var msg = new MqttApplicationMessageBuilder().WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
            if (query) msg = msg.WithTopic("edge/gw1/query").WithResponseTopic($"fuzz/replies/{i % clients.Length}").WithCorrelationData(BitConverter.GetBytes(i));
            else msg = msg.WithTopic($"edge/gw1/ingest/node-{i % 7}");
            var ack = await clients[i % clients.Length].Mqtt.PublishAsync(msg.Build(), ct);
            if (!ack.IsSuccess) Interlocked.Increment(ref refused);
            else if (query) Interlocked.Increment(ref queriesAccepted);
            else
            {
                Interlocked.Increment(ref ingestAccepted);
                var r = ReadingJsonCodec.Decode(payload); // an accepted ingest payload must be a valid reading
                valid[$"{r.SensorId}/{r.Sequence}/{r.Timestamp.UtcTicks}"] = r;
            }
        });

        // Every accepted query got exactly its reply (replies are published before the PUBACK returns).
        Interlocked.Exchange(ref expected, queriesAccepted);
        if (replies.Count >= queriesAccepted) allReplied.TrySetResult();
        await allReplied.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(queriesAccepted, replies.Count);
        Assert.Equal(Payloads, queriesAccepted + ingestAccepted + refused);
        Assert.True(refused > Payloads / 4, $"the fuzzer should produce mostly invalid payloads; refused {refused}");

        // Nothing invalid was stored: everything in the log decodes and is one of the accepted readings.
        long stored = 0;
        foreach (var topic in new[] { "traffic", "health", "environment" })
            for (int p = 0; p < rig.Log.GetTopic(topic).Partitions; p++)
                for (long o = 0; ;)
                {
                    var read = rig.Log.Read(topic, p, o);
                    if (read.Records.Count == 0) break;
                    foreach (var rec in read.Records)
                    {
                        var r = ReadingBinaryCodec.Decode(rec.Value!.Value.Span);
                        Assert.True(valid.ContainsKey($"{r.SensorId}/{r.Sequence}/{r.Timestamp.UtcTicks}"));
                        stored++;
                    }
                    o = read.NextOffset;
                }
        Assert.InRange(stored, 1, ingestAccepted);

        // Still serving, and memory did not grow with the traffic.
        var after = await c.QueryAsync("gw1", System.Text.Json.Nodes.JsonNode.Parse("""{"op":"sensors"}""")!.AsObject());
        Assert.True(after["ok"]!.GetValue<bool>());
        foreach (var client in clients) await client.DisposeAsync();
        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(memoryAfter - memoryBefore < 64L << 20, $"managed heap grew by {(memoryAfter - memoryBefore) >> 20} MiB");
    }

    private static readonly string[] Seeds =
    [
        """{"op":"latest","sensor":"hr-1","n":5}""",
        """{"op":"range","topic":"traffic","limit":10,"cursor":"1:0"}""",
        """{"op":"stats","sensor":"hr-1","from":"2026-11-29T00:00:00Z","to":"2026-11-29T01:00:00Z","window":"5m"}""",
        """{"op":"sensors"}""",
        """{"op":"status"}""",
    ];

    // Random bytes, truncations, byte flips, type swaps, deep nesting, huge and odd values, and some valid readings.
    internal static byte[] Mutate(Random random, int i, out bool meantValid)
    {
        meantValid = false;
        string seed = i % 2 == 0 ? Seeds[random.Next(Seeds.Length)] : Encoding.UTF8.GetString(Ingest.Valid($"node-{i % 7}", i / 14 + random.Next(3)));
        switch (random.Next(9))
        {
            case 0:
                var bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                return bytes;
            case 1:
                return Encoding.UTF8.GetBytes(seed[..random.Next(seed.Length)]);
            case 2:
                var b = Encoding.UTF8.GetBytes(seed);
                for (int k = 0; k < 1 + random.Next(4); k++) b[random.Next(b.Length)] = (byte)random.Next(256);
                return b;
            case 3:
                return Encoding.UTF8.GetBytes(seed.Replace("\"", "", StringComparison.Ordinal));
            case 4:
                return Encoding.UTF8.GetBytes(new string('[', random.Next(1, 200)) + new string(']', random.Next(1, 200)));
            case 5:
                return Encoding.UTF8.GetBytes(seed.Replace("5", "99999999999999999999999", StringComparison.Ordinal).Replace("hr-1", "\\u0000", StringComparison.Ordinal));
            case 6:
                return Encoding.UTF8.GetBytes(seed.Replace(":", ":[", StringComparison.Ordinal));
            case 7:
                return Encoding.UTF8.GetBytes(seed + new string(' ', random.Next(0, 6000)));
            default:
                meantValid = true;
                return Encoding.UTF8.GetBytes(seed);
        }
    }
}
