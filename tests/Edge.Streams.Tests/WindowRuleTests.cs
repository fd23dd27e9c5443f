using Edge.Log;
using Edge.Readings;
using Edge.Streams.Configuration;
using Edge.Streams.Tests.TestKit;
using Edge.Streams.Windows;

namespace Edge.Streams.Tests;

public class WindowRuleTests
{
    [Fact]
    public void Aggregates_of_a_window_are_count_min_max_mean_stddev_percentiles_first_last_and_rate()
    {
        var w = new WindowAggregates { Start = 0, End = 3_600_000 };
        for (int i = 1; i <= 100; i++) w.Add("x", i, i * 36_000L); // 1..100 over the hour
        Assert.Equal(100, w.Get("count", "x"));
        Assert.Equal(1, w.Get("min", "x"));
        Assert.Equal(100, w.Get("max", "x"));
        Assert.Equal(50.5, w.Get("mean", "x"));
        Assert.Equal(28.866, w.Get("stddev", "x")!.Value, 3);
        Assert.Equal(50, w.Get("p50", "x"));
        Assert.Equal(95, w.Get("p95", "x"));
        Assert.Equal(1, w.Get("first", "x"));
        Assert.Equal(100, w.Get("last", "x"));
        Assert.Equal(100.0, w.Get("rate", "x")!.Value, 6); // 99 over 0.99 h
        Assert.Equal(0, w.Get("count", "y"));
        Assert.Null(w.Get("mean", "y"));
    }

    /// <summary>A rule reuses its closed windows' objects for new ones: a reused window must be a new one in every way, checkpoint text included.</summary>
    [Fact]
    public void A_reused_window_holds_nothing_of_its_previous_life()
    {
        var json = new System.Text.Json.JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
        var old = new WindowAggregates { Start = 0, End = 60_000 };
        for (int i = 1; i <= 50; i++)
        {
            old.Add("x", i, i * 1000L);
            old.Add("y", -i, i * 1000L);
        }
        _ = old.Slots = old.SlotsFor(["x", "y"]);
        var reused = old.Reuse(60_000, 120_000);
        var fresh = new WindowAggregates { Start = 60_000, End = 120_000 };
        foreach (var w in new[] { reused, fresh }) w.Add("x", 7, 61_000);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(fresh, json), System.Text.Json.JsonSerializer.Serialize(reused, json));
        foreach (var f in WindowAggregates.Functions) Assert.Equal(fresh.Get(f, "x"), reused.Get(f, "x"));
        Assert.Equal(0, reused.Get("count", "y"));
        Assert.Null(reused.Get("min", "y"));
        Assert.Equal([null, null], reused.Slots!);
    }

    [Fact]
    public void Hopping_windows_are_aligned_to_the_epoch_and_hold_each_reading_size_over_hop_times()
    {
        var spec = WindowSpec.Hopping(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30));
        var starts = new List<long>();
        spec.StartsFor(125_000, starts);
        Assert.Equal([30_000L, 60_000, 90_000, 120_000], starts);
        WindowSpec.Tumbling(TimeSpan.FromMinutes(1)).StartsFor(125_000, starts);
        Assert.Equal([120_000L], starts);
    }

    private static EngineDriver Lane() => new(new Dictionary<string, RuleOptions>
    {
        ["jam"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, KeyBy = "site", Condition = "mean(occupancy) > 35", Clear = "mean(occupancy) < 25", Window = "2m", Hop = "1m" },
    }, new StreamsOptions { AllowedLateness = TimeSpan.Zero }, new Dictionary<string, string> { ["loop-a"] = "lane1", ["tof-a"] = "lane1" });

    [Fact]
    public void A_site_aggregate_over_its_sensors_raises_when_a_window_closes_over_the_threshold_and_clears_under_the_band()
    {
        var d = Lane();
        var p0 = new TopicPartition("traffic", 0);
        var p1 = new TopicPartition("traffic", 1);
        // Minutes 0-3 light (10 %), 3-6 heavy (60 % on one sensor, 30 % on the other: mean 45), 6-9 light again.
        for (int s = 0; s < 540; s += 10)
        {
            bool heavy = s is >= 180 and < 360;
            d.Read(p0, "loop-a", ReadingKinds.TrafficOccupancy, s, ("occupancy", heavy ? 60 : 10));
            d.Read(p1, "tof-a", ReadingKinds.TrafficOccupancy, s + 1, ("occupancy", heavy ? 30 : 10));
        }
        Assert.Equal(2, d.Alerts.Count());
        var raised = d.Alerts.First();
        Assert.Equal(("jam", "lane1", true), (raised.Rule, raised.Key, raised.Raised));
        // The first window over 35 % is [3 min, 5 min): [2, 4) averages 27.5 %.
        Assert.Equal((180.0, 300.0), (EngineDriver.Seconds(raised.WindowStart), EngineDriver.Seconds(raised.WindowEnd)));
        Assert.Equal(45, raised.Values.Single(v => v.Name == "mean_occupancy").Value);
        var cleared = d.Alerts.Last();
        Assert.False(cleared.Raised);
        Assert.Equal((360.0, 480.0), (EngineDriver.Seconds(cleared.WindowStart), EngineDriver.Seconds(cleared.WindowEnd)));
    }

    [Fact]
    public void A_session_window_closes_after_the_gap_and_is_judged_as_a_whole()
    {
        // Presence sessions: a vehicle standing on the detector reports present every 10 s; a session longer than
        // a minute (count of reports > 6) is a stopped vehicle.
        var d = new EngineDriver(new Dictionary<string, RuleOptions>
        {
            ["long-visit"] = new() { Type = "aggregate", Kind = ReadingKinds.TrafficOccupancy, SessionGap = "15s", Condition = "count(present) > 6" },
        }, new StreamsOptions { AllowedLateness = TimeSpan.Zero });
        for (int s = 0; s <= 40; s += 10) d.Read("tof-a", ReadingKinds.TrafficOccupancy, s, ("present", 1)); // 5 reports
        for (int s = 100; s <= 200; s += 10) d.Read("tof-a", ReadingKinds.TrafficOccupancy, s, ("present", 1)); // 11 reports
        d.Read("other", ReadingKinds.TrafficOccupancy, 230, ("present", 0)); // moves the clock past the second gap
        var a = Assert.Single(d.Alerts);
        Assert.Equal((100.0, 215.0), (EngineDriver.Seconds(a.WindowStart), EngineDriver.Seconds(a.WindowEnd)));
        Assert.Equal(11, a.Values.Single().Value);
    }

    [Fact]
    public void A_summary_rule_writes_one_reading_per_key_and_window_to_its_output_topic()
    {
        var d = new EngineDriver(new Dictionary<string, RuleOptions>
        {
            ["lane-1m"] = new() { Type = "summary", Kind = ReadingKinds.TrafficVehicle, Window = "1m", Fields = "count,dwell", Aggregates = "count,mean,max", Output = "traffic-1m" },
        }, new StreamsOptions { AllowedLateness = TimeSpan.Zero });
        for (int s = 0; s < 125; s += 5) d.Read("mag-a", ReadingKinds.TrafficVehicle, s, ("count", 1), ("dwell", s % 10 == 0 ? 0.4 : 0.6));
        Assert.Equal(2, d.Output.Count); // minutes 0 and 1 closed; minute 2 still open
        var first = d.Output[0];
        Assert.Equal("traffic-1m", first.Topic);
        Assert.Equal("lane-1m/mag-a/" + EngineDriver.T0.ToUnixTimeMilliseconds(), first.RecordKey);
        Assert.Equal("traffic.vehicle.summary", first.Reading.Kind);
        Assert.Equal(12, first.Reading["count_count"]!.Value.Value);
        Assert.Equal(0.5, first.Reading["dwell_mean"]!.Value.Value);
        Assert.Equal(0.6, first.Reading["dwell_max"]!.Value.Value);
        Assert.Null(d.Output[0].Alert);
    }
}
