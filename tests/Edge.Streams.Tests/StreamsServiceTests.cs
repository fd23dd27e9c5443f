using System.Text;
using Edge.Log;
using Edge.Readings;
using Edge.Streams.Configuration;
using Edge.Streams.Engine;
using Edge.Streams.Hosting;
using Edge.TestKit;

namespace Edge.Streams.Tests;

/// <summary>
/// The service over a real log: a backlog is judged as a whole whichever partition it reads first (STREAMS.md §3.1),
/// and what a crashed run left behind (alerts durable, checkpoint or not) is completed by the restart, each alert in
/// the alert topic once (§6).
/// </summary>
public class StreamsServiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, RuleOptions> Rules = new()
    {
        ["spo2-low"] = new() { Type = "threshold", Kind = ReadingKinds.SpO2, Condition = "spo2 < 90", For = "30s", Clear = "spo2 >= 92" },
    };

    // Ten minutes of one oximeter, desaturated for a minute at 2 and at 6 minutes: two episodes, four alerts.
    private static List<Reading> Readings() =>
        [.. Enumerable.Range(0, 600).Select(s => new Reading("spo2-bed1", ReadingKinds.SpO2, T0.AddSeconds(s), [new ReadingValue("spo2", s % 240 is >= 120 and < 180 ? 86 : 97, "%")]))];

    // The shipped-style rules over Readings() on the health topic, and what one engine run over them all emits (an hour
    // later: a replayed backlog) — what a service run must end with.
    private static (RulesSettings Settings, StreamsOptions Options, List<Reading> Readings, List<Emitted> Expected) UninterruptedRun()
    {
        var errors = new List<string>();
        var settings = new RulesSettings { Definitions = RuleParser.Parse(Rules, errors) };
        Assert.Empty(errors);
        var options = new StreamsOptions { Topics = ["health"] };
        var readings = Readings();
        var expected = new List<Emitted>();
        var engine = new StreamEngine(settings.Definitions, options);
        for (int i = 0; i < readings.Count; i++)
            engine.Process(new TopicPartition("health", 0), i, readings[i], T0.AddHours(1).ToUnixTimeMilliseconds(), expected);
        return (settings, options, readings, expected);
    }

    private static List<string> Keys(EdgeLog log, string topic)
    {
        var keys = new List<string>();
        var info = log.GetPartitionInfo(topic, 0);
        for (long o = info.LogStartOffset; o < info.HighWatermark;)
        {
            var r = log.Read(topic, 0, o);
            keys.AddRange(r.Records.Select(rec => Encoding.UTF8.GetString(rec.Key!.Value.Span)));
            o = r.NextOffset;
        }
        return keys;
    }

    private static async Task RunUntilCaughtUp(EdgeLog log, StreamsOptions options, RulesSettings settings, TimeProvider time)
    {
        using var sink = new LogSink();
        using var service = new StreamsService(log, options, settings, time, sink);
        await service.StartAsync(CancellationToken.None);
        await sink.WaitFor(e => e.Message.Contains("caught up", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "caught up");
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_backlog_read_partition_by_partition_counts_every_partitions_readings_in_each_window()
    {
        using var dir = new TempDir();
        var errors = new List<string>();
        var rules = new Dictionary<string, RuleOptions>
        {
            ["busy"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, KeyBy = "site", Condition = "count(occupancy) >= 12", Window = "1m" },
        };
        // Two loops of one lane on two partitions, 6 readings a minute each: only both together make the 12.
        var settings = new RulesSettings { Definitions = RuleParser.Parse(rules, errors), Sites = new Dictionary<string, string> { ["loop-a"] = "lane1", ["loop-b"] = "lane1" } };
        Assert.Empty(errors);
        var options = new StreamsOptions { Topics = ["traffic"] };
        using var log = EdgeLog.Open(new LogOptions { Directory = dir.Path });
        log.CreateTopic(new TopicConfig("traffic") { Partitions = 2 });
        var appends = new List<Task>();
        for (int s = 0; s < 600; s += 10)
            foreach (var (sensor, partition) in new[] { ("loop-a", 0), ("loop-b", 1) })
            {
                var r = new Reading(sensor, ReadingKinds.TrafficOccupancy, T0.AddSeconds(s), [new ReadingValue("occupancy", 40, "%")]);
                appends.Add(log.AppendAsync("traffic", new Edge.Log.Record(Encoding.UTF8.GetBytes(sensor), ReadingBinaryCodec.Encode(r), r.Timestamp.ToUnixTimeMilliseconds()), partition).AsTask());
            }
        await Task.WhenAll(appends);

        // The service reads one partition's whole backlog before the other's: without the second holding the clock
        // back, the first closes every window with 6 readings and the second's are all late.
        await RunUntilCaughtUp(log, options, settings, new ManualClock(T0.AddHours(1)));
        Assert.Equal(["busy/lane1/" + T0.ToUnixTimeMilliseconds() + "/raised"], Keys(log, options.AlertTopic));
    }

    [Fact]
    public async Task A_run_that_crashed_before_its_first_checkpoint_is_completed_without_writing_its_alerts_again()
    {
        using var dir = new TempDir();
        var (settings, options, readings, expected) = UninterruptedRun();
        Assert.Equal(4, expected.Count);

        using (var log = EdgeLog.Open(new LogOptions { Directory = dir.Path }))
        {
            log.CreateTopic(new TopicConfig("health"));
            await Task.WhenAll(readings.Select(r => log.AppendAsync("health", new Edge.Log.Record(Encoding.UTF8.GetBytes(r.SensorId), ReadingBinaryCodec.Encode(r), r.Timestamp.ToUnixTimeMilliseconds())).AsTask()));
            // The crashed run: it made its first episode's two alerts durable and was killed before any checkpoint.
            log.CreateTopic(new TopicConfig(options.AlertTopic));
            foreach (var e in expected.Take(2))
                await log.AppendAsync(options.AlertTopic, new Edge.Log.Record(Encoding.UTF8.GetBytes(e.RecordKey), ReadingBinaryCodec.Encode(e.Reading), e.Reading.Timestamp.ToUnixTimeMilliseconds()), TimeSpan.Zero);

            // The restart, its clock an hour after the readings (a replayed backlog).
            await RunUntilCaughtUp(log, options, settings, new ManualClock(T0.AddHours(1)));
            Assert.Equal(expected.Select(e => e.RecordKey), Keys(log, options.AlertTopic));
        }
    }

    /// <summary>
    /// The service reads stored bytes without decoding them (StoredReadingPathTests); a record that is not a reading —
    /// garbage, a NaN in a known sensor's layout, one cut short — is still counted, named in the log with the decoder's
    /// words, and skipped, and the readings around it are judged as if it were not there.
    /// </summary>
    [Fact]
    public async Task Records_that_are_not_readings_are_counted_named_and_skipped()
    {
        using var dir = new TempDir();
        var (settings, options, readings, expected) = UninterruptedRun();
        var nan = ReadingBinaryCodec.Encode(readings[0]);
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(nan.AsSpan(nan.Length - 8), double.NaN);
        var bad = new Dictionary<int, byte[]> { [100] = "not a reading"u8.ToArray(), [130] = nan, [400] = ReadingBinaryCodec.Encode(readings[0])[..^3] };

        using var log = EdgeLog.Open(new LogOptions { Directory = dir.Path });
        log.CreateTopic(new TopicConfig("health"));
        var appends = new List<Task>();
        for (int i = 0; i < readings.Count; i++)
        {
            if (bad.TryGetValue(i, out var junk)) appends.Add(log.AppendAsync("health", new Edge.Log.Record("junk"u8.ToArray(), junk, 0)).AsTask());
            appends.Add(log.AppendAsync("health", new Edge.Log.Record(Encoding.UTF8.GetBytes(readings[i].SensorId), ReadingBinaryCodec.Encode(readings[i]), readings[i].Timestamp.ToUnixTimeMilliseconds())).AsTask());
        }
        await Task.WhenAll(appends);
        using var sink = new LogSink();
        using (var service = new StreamsService(log, options, settings, new ManualClock(T0.AddHours(1)), sink))
        {
            await service.StartAsync(CancellationToken.None);
            await sink.WaitFor(e => e.Message.Contains("caught up", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "caught up");
            await service.StopAsync(CancellationToken.None);
            Assert.Equal(3, service.Unreadable);
        }
        var warning = Assert.Single(sink.Entries, e => e.Message.Contains("is not a reading", StringComparison.Ordinal));
        Assert.Equal("stream rules: health/0 offset 100 is not a reading (magic at byte 0: 0x6E is not a reading (expected 0x52)); counted and skipped", warning.Message);
        Assert.Equal(expected.Select(e => e.RecordKey), Keys(log, options.AlertTopic));
    }
}
