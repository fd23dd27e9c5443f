using System.Text.Json.Nodes;
using Edge.FirmwareSim.Scenarios;
using Edge.Log;
using Edge.Readings;
using Edge.Streams.Configuration;
using Edge.Streams.Engine;
using Edge.Streams.Tests.TestKit;

namespace Edge.Streams.Tests;

/// <summary>
/// STREAMS.md §6 at the engine: state restored from a snapshot (through its JSON text) and fed the rest of the
/// readings emits exactly what an uninterrupted engine emits, and a replay of readings already seen emits the same
/// idempotency keys again.
/// </summary>
public class CheckpointReplayTests
{
    private static List<(string Topic, Reading Reading)> Readings(string scenario, int minutes)
    {
        Assert.True(ScenarioCatalog.TryGet(scenario, out var s));
        using var run = new ScenarioRun(s, id => id is "spo2-bed1" or "temp-bed1" or "env-1" or "tof-lane1") { KeepReadings = true };
        run.Run(TimeSpan.FromMinutes(minutes));
        return run.Readings;
    }

    private static List<Emitted> Feed(StreamEngine engine, IEnumerable<(string Topic, Reading Reading)> readings, Dictionary<TopicPartition, long> offsets)
    {
        var output = new List<Emitted>();
        foreach (var (topic, r) in readings)
        {
            var tp = new TopicPartition(topic, KeyPartitioner.PartitionFor(System.Text.Encoding.UTF8.GetBytes(r.SensorId), 2));
            long o = offsets.GetValueOrDefault(tp);
            offsets[tp] = o + 1;
            engine.Process(tp, o, r, r.Timestamp.ToUnixTimeMilliseconds(), output);
        }
        return output;
    }

    [Fact]
    public void An_engine_restored_from_any_snapshot_emits_what_the_uninterrupted_one_does()
    {
        var readings = Readings("desaturation", 6);
        var (rules, options, sites) = Shipped();
        var whole = Feed(new StreamEngine(rules, options, sites), readings, []).Select(e => e.RecordKey).ToList();
        Assert.Contains(whole, k => k.StartsWith("spo2-low/", StringComparison.Ordinal) && k.EndsWith("/raised", StringComparison.Ordinal));
        var random = new Random(12);
        for (int trial = 0; trial < 5; trial++)
        {
            int cut = random.Next(readings.Count);
            var offsets = new Dictionary<TopicPartition, long>();
            var first = new StreamEngine(rules, options, sites);
            var before = Feed(first, readings.Take(cut), offsets);
            string text = first.Snapshot().ToJsonString();
            var second = new StreamEngine(rules, options, sites);
            second.Restore(JsonNode.Parse(text)!.AsObject(), readings[cut].Reading.Timestamp.ToUnixTimeMilliseconds());
            Assert.Equal(offsets, second.Offsets);
            var after = Feed(second, readings.Skip(cut), offsets);
            Assert.Equal(whole, before.Concat(after).Select(e => e.RecordKey).ToList());
        }
    }

    /// <summary>
    /// A partition read for the first time after others moved the rule clock on (a backlog replayed partition by
    /// partition) opens windows and arms silence deadlines the clock has already passed; they fire at its next step.
    /// A checkpoint taken in between must carry them: restored, the engine emits those raises as the uninterrupted one
    /// does, instead of passing them silently (which left a "cleared" without its "raised" in the crash test).
    /// </summary>
    [Fact]
    public void Deadlines_the_clock_passed_before_a_checkpoint_fire_after_the_restore_as_without_it()
    {
        TopicPartition health = new("health", 0), traffic = new("traffic", 0);
        var rules = new Dictionary<string, RuleOptions>
        {
            ["congestion"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, Condition = "mean(occupancy) > 35", Clear = "mean(occupancy) < 25", Window = "2m", Hop = "30s" },
            ["silent"] = new() { Type = "absence", Sensors = "loop-*", Missed = 12 },
        };
        var options = new StreamsOptions { AllowedLateness = TimeSpan.FromSeconds(5), IdleTimeout = TimeSpan.FromSeconds(30) };
        // As the service reads a backlog: a chunk of one partition at a time, the gateway's clock standing still.
        void HealthChunk(EngineDriver d, int from, int to)
        {
            for (int s = from; s < to; s++) d.Read(health, "spo2-bed1", ReadingKinds.SpO2, s, ("spo2", 97));
        }
        void TrafficChunk(EngineDriver d, int from, int to, double occupancy)
        {
            for (int s = from; s <= to; s += 10) d.Read(traffic, "loop-lane1", ReadingKinds.TrafficOccupancy, s, ("occupancy", occupancy));
        }
        // Congested for the first minute, silent for four, then free-flowing. The first minute comes when the clock is
        // already at 194 s: its windows (ending up to 180 s) and its silence (from 181 s) are due at the clock's next step.
        void Before(EngineDriver d)
        {
            HealthChunk(d, 0, 200);
            TrafficChunk(d, 0, 60, 60);
        }
        void After(EngineDriver d)
        {
            HealthChunk(d, 200, 900);
            TrafficChunk(d, 300, 900, 10);
            HealthChunk(d, 900, 1300);
        }
        EngineDriver Start() => new(rules, options) { FollowReadings = false, Now = EngineDriver.T0.AddHours(1).ToUnixTimeMilliseconds() };

        var whole = Start();
        Before(whole);
        After(whole);
        var expected = whole.Output.Select(e => e.RecordKey).ToList();
        Assert.Contains("congestion/loop-lane1/" + EngineDriver.T0.AddSeconds(-90).ToUnixTimeMilliseconds() + "/raised", expected);
        Assert.Contains("silent/loop-lane1/" + EngineDriver.T0.AddSeconds(60).ToUnixTimeMilliseconds() + "/raised", expected);

        var crashed = Start();
        Before(crashed);
        string checkpoint = crashed.Engine.Snapshot().ToJsonString();
        var restarted = Start();
        restarted.Engine.Restore(JsonNode.Parse(checkpoint)!.AsObject(), restarted.Now);
        restarted.Output.AddRange(crashed.Output);
        After(restarted);
        Assert.Equal(expected, restarted.Output.Select(e => e.RecordKey).ToList());
    }

    internal static (IReadOnlyList<Edge.Streams.Rules.RuleDefinition>, Edge.Streams.Configuration.StreamsOptions, IReadOnlyDictionary<string, string>) Shipped()
    {
        var settings = new Edge.Streams.Hosting.RulesSettings();
        Edge.Streams.Hosting.StreamsRegistration.Read(ScenarioRun.ShippedConfiguration(), settings);
        return (settings.Definitions, new Edge.Streams.Configuration.StreamsOptions(), settings.Sites);
    }
}
