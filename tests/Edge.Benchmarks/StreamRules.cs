using System.Diagnostics;
using Edge.Log;
using Edge.Readings;
using Edge.Streams.Configuration;
using Edge.Streams.Engine;

namespace Edge.Benchmarks;

/// <summary>
/// stream-rules: readings through the Edge.Streams engine on one thread (the service runs it on one), 1,000 sensors
/// reporting once a second (400 oximeters, 400 lane detectors, 200 room sensors), three rule sets: 10 threshold + 10
/// tumbling-window rules; 20 rules of mixed kinds (threshold with hysteresis, hopping aggregate by site, rate, absence,
/// stuck, sequence, 1-minute summary); and the 1-minute summaries' upstream bytes against the raw readings' (JSON, as
/// the uplink's json format sends them). Readings are read from their stored binary form for each pass, as the
/// service reads them (StreamEngine.Process of the stored bytes). CPU is this process's (one thread busy); "cpu per
/// 1000 rec/s" is cpu_cores / (rec_per_s / 1000). --cases picks lines (threshold+tumbling, mixed, summary-bytes).
/// </summary>
internal static class StreamRules
{
    private const int Sensors = 1000, Seconds = 300;

    public static IReadOnlyList<Result> Run(BenchOptions opt)
    {
        var stored = Stored();
        var results = new List<Result>();
        foreach (var (name, rules) in new[] { ("threshold+tumbling", ThresholdAndTumbling()), ("mixed", Mixed()) })
        {
            if (opt.Cases.Length > 0 && !opt.Cases.Contains(name)) continue;
            var errors = new List<string>();
            var definitions = RuleParser.Parse(rules, errors);
            if (errors.Count > 0) throw new InvalidOperationException(string.Join("\n", errors));
            if (opt.Warmup > 0) Pass(definitions, stored, opt.Warmup);
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            long alloc0 = GC.GetTotalAllocatedBytes(true);
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            var (n, secs, emitted) = Pass(definitions, stored, opt.Seconds);
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / secs;
            string gc = $"{(GC.GetTotalAllocatedBytes(true) - alloc0) / (double)n:F0} B allocated per reading, GCs gen0/1/2 {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}";
            results.Add(new Result
            {
                name = $"stream-rules/{name}", run = opt.Run, ops = n, records = n, seconds = secs, ops_per_s = n / secs, rec_per_s = n / secs,
                cpu_cores = cpu, peak_rss_mb = Result.PeakRssMiB(), durability = "in memory (engine only: no log append, no checkpoint)",
                note = $"{definitions.Count} rules over {Sensors} sensors at 1 Hz, stored bytes read and checked; {emitted} outputs; {gc}; cpu per 1000 rec/s = {cpu / (n / secs / 1000):E2} cores",
            });
        }
        if (opt.Cases.Length == 0 || opt.Cases.Contains("summary-bytes")) results.Add(Reduction(stored));
        return results;
    }

    private static (long N, double Seconds, long Emitted) Pass(IReadOnlyList<Edge.Streams.Rules.RuleDefinition> rules, byte[][] stored, double seconds)
    {
        var sites = Enumerable.Range(0, Sensors).ToDictionary(Id, i => $"site{i % 50}");
        var sw = Stopwatch.StartNew();
        long n = 0, emitted = 0;
        var output = new List<Emitted>();
        var tps = new TopicPartition[4];
        for (int p = 0; p < 4; p++) tps[p] = new TopicPartition("readings", p);
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            var engine = new StreamEngine(rules, new StreamsOptions(), sites);
            for (int i = 0; i < stored.Length; i++)
            {
                // The service's path: the stored bytes, read (and checked) without building a Reading.
                if (!engine.Process(tps[i % Sensors & 3], i, stored[i], Start + (i / Sensors) * 1000L, output)) throw new InvalidOperationException($"record {i} is not a reading");
                emitted += output.Count;
                output.Clear();
            }
            n += stored.Length;
        }
        return (n, sw.Elapsed.TotalSeconds, emitted);
    }

    private static readonly long Start = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static string Id(int i) => i < 400 ? $"spo2-{i}" : i < 800 ? $"tof-{i}" : $"env-{i}";

    private static Reading Make(int i, int second)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(Start + second * 1000L + i % 1000);
        double wave = Math.Sin((second + i) / 60.0);
        return i < 400 ? new Reading(Id(i), ReadingKinds.SpO2, at, [new("spo2", Math.Round(95 + 4 * wave, 1), "%"), new("bpm", Math.Round(70 + 30 * wave), "/min")])
            : i < 800 ? new Reading(Id(i), ReadingKinds.TrafficOccupancy, at, [new("occupancy", Math.Round(30 + 25 * wave, 2), "%"), new("present", wave > 0.5 ? 1 : 0, "1"), new("count", (second + i) % 7, "{vehicle}")])
            : new Reading(Id(i), ReadingKinds.Environment, at, [new("temperature", Math.Round(21 + wave, 2), "Cel"), new("pressure", 1013.25, "hPa"), new("humidity", Math.Round(50 + 5 * wave, 2), "%")]);
    }

    private static byte[][] Stored()
    {
        var stored = new byte[Sensors * Seconds][];
        for (int s = 0, k = 0; s < Seconds; s++)
            for (int i = 0; i < Sensors; i++) stored[k++] = ReadingBinaryCodec.Encode(Make(i, s));
        return stored;
    }

    private static Dictionary<string, RuleOptions> ThresholdAndTumbling()
    {
        var rules = new Dictionary<string, RuleOptions>();
        for (int i = 0; i < 5; i++)
        {
            rules[$"spo2-{i}"] = new() { Type = "threshold", Kind = ReadingKinds.SpO2, Condition = $"spo2 < {91 + i}", For = "30s", Clear = $"spo2 >= {93 + i}" };
            rules[$"occ-{i}"] = new() { Type = "threshold", Kind = ReadingKinds.TrafficOccupancy, Condition = $"occupancy > {40 + 2 * i}", For = "60s" };
            rules[$"mean-{i}"] = new() { Type = "aggregate", Kind = ReadingKinds.SpO2, Condition = $"mean(bpm) > {90 + i}", Window = "1m" };
            rules[$"max-{i}"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, Condition = $"max(occupancy) > {50 + i}", Window = "1m" };
        }
        return rules;
    }

    private static Dictionary<string, RuleOptions> Mixed()
    {
        var rules = new Dictionary<string, RuleOptions>
        {
            ["spo2-low"] = new() { Type = "threshold", Kind = ReadingKinds.SpO2, Condition = "spo2 < 92", For = "30s", Clear = "spo2 >= 94" },
            ["tachy"] = new() { Type = "threshold", Kind = ReadingKinds.SpO2, Condition = "bpm > 95", For = "60s", Clear = "bpm <= 90" },
            ["brady"] = new() { Type = "threshold", Kind = ReadingKinds.SpO2, Condition = "bpm < 45", For = "60s" },
            ["occ-high"] = new() { Type = "threshold", Kind = ReadingKinds.TrafficOccupancy, Condition = "occupancy > 50", For = "60s", Clear = "occupancy < 40" },
            ["present"] = new() { Type = "threshold", Kind = ReadingKinds.TrafficOccupancy, Condition = "present == 1", For = "90s" },
            ["hot"] = new() { Type = "threshold", Kind = ReadingKinds.Environment, Condition = "temperature > 21.9", For = "2m" },
            ["congestion"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, KeyBy = "site", Condition = "mean(occupancy) > 35", Clear = "mean(occupancy) < 25", Window = "2m", Hop = "30s" },
            ["bpm-p95"] = new() { Type = "aggregate", Kind = ReadingKinds.SpO2, Condition = "p95(bpm) > 99", Window = "1m" },
            ["occ-sd"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, Condition = "stddev(occupancy) > 20", Window = "5m", Hop = "1m" },
            ["visits"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, SessionGap = "30s", Condition = "count(present) > 100" },
            ["warming"] = new() { Type = "rate", Kind = ReadingKinds.Environment, Condition = "rate(temperature) > 3", Window = "10m", Hop = "1m" },
            ["spo2-trend"] = new() { Type = "rate", Kind = ReadingKinds.SpO2, Condition = "rate(spo2) < -20", Window = "5m", Hop = "1m" },
            ["silent"] = new() { Type = "absence", Missed = 10 },
            ["silent-spo2"] = new() { Type = "absence", Kind = ReadingKinds.SpO2, Missed = 5, Interval = "1s" },
            ["stuck-env"] = new() { Type = "stuck", Kind = ReadingKinds.Environment, Count = 30 },
            ["stuck-occ"] = new() { Type = "stuck", Kind = ReadingKinds.TrafficOccupancy, Fields = "occupancy", Count = 60 },
            ["busy-then-empty"] = new() { Type = "sequence", Kind = ReadingKinds.TrafficOccupancy, Condition = "occupancy > 54", Then = ReadingKinds.TrafficOccupancy, ThenCondition = "occupancy < 6", Within = "60s", Mode = "followed" },
            ["low-no-recovery"] = new() { Type = "sequence", Kind = ReadingKinds.SpO2, Condition = "spo2 < 91.5", Then = ReadingKinds.SpO2, ThenCondition = "spo2 > 98", Within = "2m" },
            ["lane-1m"] = new() { Type = "summary", Kind = ReadingKinds.TrafficOccupancy, Window = "1m", Fields = "occupancy,count", Aggregates = "count,mean,max", Output = "traffic-1m" },
            ["env-1m"] = new() { Type = "summary", Kind = ReadingKinds.Environment, Window = "1m", Fields = "temperature,humidity", Aggregates = "mean,min,max", Output = "env-1m" },
        };
        return rules;
    }

    // Uplink bytes: the 400 lane detectors' raw readings as the uplink's JSON sends them, against their 1-minute
    // summaries (count, mean, max of occupancy and count) — what a gateway on a metered link forwards instead.
    private static Result Reduction(byte[][] stored)
    {
        var errors = new List<string>();
        var rules = RuleParser.Parse(new Dictionary<string, RuleOptions>
        {
            ["lane-1m"] = new() { Type = "summary", Kind = ReadingKinds.TrafficOccupancy, Window = "1m", Fields = "occupancy,count", Aggregates = "count,mean,max", Output = "traffic-1m" },
        }, errors);
        var engine = new StreamEngine(rules, new StreamsOptions { AllowedLateness = TimeSpan.Zero });
        var output = new List<Emitted>();
        long raw = 0, summary = 0, rawCount = 0;
        var tp = new TopicPartition("traffic", 0);
        for (int i = 0; i < stored.Length; i++)
        {
            var r = ReadingBinaryCodec.Decode(stored[i]);
            if (r.Kind != ReadingKinds.TrafficOccupancy) continue;
            if (i / Sensors < (Seconds / 60 - 1) * 60) // the minutes whose summaries are closed
            {
                raw += ReadingJsonCodec.EncodeUtf8(r).Length;
                rawCount++;
            }
            engine.Process(tp, i, r, Start + (i / Sensors) * 1000L, output);
        }
        foreach (var e in output) summary += ReadingJsonCodec.EncodeUtf8(e.Reading).Length;
        return new Result
        {
            name = "stream-rules/summary-bytes", ops = output.Count, records = rawCount, payload_bytes = raw, disk_bytes = summary, unit = "bytes",
            note = $"raw JSON {raw:N0} B for {rawCount:N0} readings vs 1-minute summaries {summary:N0} B for {output.Count:N0}: {(double)raw / Math.Max(1, summary):F1}x fewer bytes (the {Seconds / 60 - 1} closed minutes)",
        };
    }
}
