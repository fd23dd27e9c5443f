using Edge.Readings;
using Edge.Streams.Configuration;
using Edge.Streams.Tests.TestKit;

namespace Edge.Streams.Tests;

/// <summary>Absence, stuck and sequence rules.</summary>
public class EventRuleTests
{
    [Fact]
    public void A_sensor_silent_for_N_learned_intervals_is_raised_then_cleared_by_its_next_reading()
    {
        var d = new EngineDriver(new Dictionary<string, RuleOptions> { ["silent"] = new() { Type = "absence", Sensors = "temp-*", Missed = 3 } },
            new StreamsOptions { AllowedLateness = TimeSpan.Zero });
        for (int s = 0; s <= 100; s += 10)
        {
            d.Read("temp-1", ReadingKinds.BodyTemperature, s, ("body", 37));
            if (s <= 40) d.Read("temp-2", ReadingKinds.BodyTemperature, s + 1, ("body", 37)); // temp-2 goes quiet after 41 s
            d.Read("spo2-1", ReadingKinds.SpO2, s + 2, ("spo2", 97)); // not matched by the rule
        }
        var raised = Assert.Single(d.Alerts);
        Assert.Equal(("temp-2", true, 71.0, 41.0), (raised.Key, raised.Raised, EngineDriver.Seconds(raised.At), EngineDriver.Seconds(raised.EpisodeStart)));
        d.Read("temp-2", ReadingKinds.BodyTemperature, 105, ("body", 37));
        var cleared = d.Alerts.Last();
        Assert.Equal(("temp-2", false, 105.0), (cleared.Key, cleared.Raised, EngineDriver.Seconds(cleared.At)));
    }

    [Fact]
    public void A_gap_seen_only_when_the_sensor_speaks_again_raises_and_clears_with_the_same_keys_as_a_live_run()
    {
        var options = new StreamsOptions { AllowedLateness = TimeSpan.Zero };
        var rules = new Dictionary<string, RuleOptions> { ["silent"] = new() { Type = "absence", Missed = 3, Interval = "10s" } };
        var live = new EngineDriver(rules, options);
        var replay = new EngineDriver(rules, options);
        foreach (int s in new[] { 0, 10, 20, 80, 90 })
        {
            live.Read("temp-1", ReadingKinds.BodyTemperature, s, ("body", 37));
            if (s == 20) live.Read("other", ReadingKinds.SpO2, 60, ("spo2", 97)); // another sensor moves the clock first
            replay.Read("temp-1", ReadingKinds.BodyTemperature, s, ("body", 37));
        }
        Assert.Equal(2, live.Alerts.Count());
        Assert.Equal(live.Alerts.Where(a => a.Key == "temp-1").Select(a => a.IdempotencyKey), replay.Alerts.Select(a => a.IdempotencyKey));
    }

    [Fact]
    public void The_same_values_N_times_in_a_row_is_stuck_and_the_first_change_clears_it()
    {
        var d = new EngineDriver(new Dictionary<string, RuleOptions> { ["stuck"] = new() { Type = "stuck", Kind = ReadingKinds.Environment, Count = 5 } });
        for (int i = 0; i < 4; i++) d.Read("env-1", ReadingKinds.Environment, i * 10, ("temperature", 21.5), ("humidity", 40 + i % 2)); // humidity moves
        for (int i = 4; i < 7; i++) d.Read("env-1", ReadingKinds.Environment, i * 10, ("temperature", 21.5), ("humidity", 41));
        Assert.Empty(d.Alerts); // the run began at 30 s: four readings by 60 s
        d.Read("env-1", ReadingKinds.Environment, 70, ("temperature", 21.5), ("humidity", 41));
        d.Read("env-1", ReadingKinds.Environment, 80, ("temperature", 21.5), ("humidity", 41));
        Assert.Single(d.Alerts);
        d.Read("env-1", ReadingKinds.Environment, 90, ("temperature", 21.51), ("humidity", 41));
        Assert.Equal(2, d.Alerts.Count());
        Assert.Equal((30.0, 70.0), (EngineDriver.Seconds(d.Alerts.First().EpisodeStart), EngineDriver.Seconds(d.Alerts.First().At)));
        Assert.Equal(90.0, EngineDriver.Seconds(d.Alerts.Last().At));
    }

    [Fact]
    public void A_fall_not_followed_by_movement_within_the_time_is_raised_at_the_deadline_and_cleared_by_movement()
    {
        var d = new EngineDriver(new Dictionary<string, RuleOptions>
        {
            ["fall-no-movement"] = new() { Type = "sequence", Kind = ReadingKinds.Fall, Then = "health.activity", Within = "60s", KeyBy = "site" },
        }, new StreamsOptions { AllowedLateness = TimeSpan.Zero }, new Dictionary<string, string> { ["fall-bed1"] = "bed1", ["act-bed1"] = "bed1", ["fall-bed2"] = "bed2", ["act-bed2"] = "bed2" });
        d.Read("fall-bed1", ReadingKinds.Fall, 10, ("count", 1));
        d.Read("fall-bed2", ReadingKinds.Fall, 12, ("count", 1));
        d.Read("act-bed2", "health.activity", 40, ("steps", 3)); // bed 2 gets up: no alert
        for (int s = 20; s <= 70; s += 5) d.Read("spo2-x", ReadingKinds.SpO2, s, ("spo2", 97)); // time goes on
        Assert.Empty(d.Alerts);
        d.Read("spo2-x", ReadingKinds.SpO2, 71, ("spo2", 97));
        var raised = Assert.Single(d.Alerts);
        Assert.Equal(("bed1", true, 70.0, 10.0), (raised.Key, raised.Raised, EngineDriver.Seconds(raised.At), EngineDriver.Seconds(raised.EpisodeStart)));
        d.Read("act-bed1", "health.activity", 120, ("steps", 1));
        Assert.Equal(("bed1", false, 120.0), (d.Alerts.Last().Key, d.Alerts.Last().Raised, EngineDriver.Seconds(d.Alerts.Last().At)));
    }

    [Fact]
    public void A_then_B_within_T_raises_at_B_in_followed_mode_and_clears_when_the_time_is_up()
    {
        var d = new EngineDriver(new Dictionary<string, RuleOptions>
        {
            ["seq"] = new() { Type = "sequence", Kind = ReadingKinds.TrafficOccupancy, Condition = "occupancy > 50", Then = ReadingKinds.TrafficVehicle, Within = "30s", Mode = "followed", KeyBy = "site" },
        }, new StreamsOptions { AllowedLateness = TimeSpan.Zero }, new Dictionary<string, string> { ["loop"] = "lane", ["mag"] = "lane" });
        d.Read("loop", ReadingKinds.TrafficOccupancy, 0, ("occupancy", 80));
        d.Read("mag", ReadingKinds.TrafficVehicle, 50, ("count", 1)); // too late
        d.Read("loop", ReadingKinds.TrafficOccupancy, 60, ("occupancy", 10)); // condition false: not an A
        d.Read("mag", ReadingKinds.TrafficVehicle, 70, ("count", 1));
        Assert.Empty(d.Alerts);
        d.Read("loop", ReadingKinds.TrafficOccupancy, 100, ("occupancy", 90));
        d.Read("mag", ReadingKinds.TrafficVehicle, 110, ("count", 1));
        Assert.Single(d.Alerts);
        d.Read("loop", ReadingKinds.TrafficOccupancy, 140, ("occupancy", 10));
        Assert.Equal(2, d.Alerts.Count());
        Assert.Equal(130.0, EngineDriver.Seconds(d.Alerts.Last().At));
    }
}
