using Edge.FirmwareSim.Scenarios;
using Edge.Streams.Alerts;
using Edge.Streams.Tests.TestKit;

namespace Edge.Streams.Tests;

/// <summary>
/// The shipped rules against firmware-sim scenarios in virtual time (STREAMS.md §7). Through the register models and
/// the real bindings where a test can afford them (minutes of scenario), from the scenario's physical model for the
/// long spans (a day, a rush hour). Tolerance: an alert's time is within 15 s of the time computed from the model's
/// ground truth, which is what the sensors' own averaging (MAX30102 over its FIFO, presence over 10 s reports) allows.
/// </summary>
public class ScenarioGroundTruthTests
{
    private const double Tolerance = 15.0 / 60; // minutes

    private static Scenario Named(string name)
    {
        Assert.True(ScenarioCatalog.TryGet(name, out var s));
        return s;
    }

    private static ScenarioRun Run(Scenario scenario, int minutes, params string[] sensors)
    {
        var run = new ScenarioRun(scenario, id => sensors.Contains(id));
        run.Run(TimeSpan.FromMinutes(minutes));
        return run;
    }

    private static void Only(ScenarioRun run, params (string Rule, bool Raised)[] expected) =>
        Assert.True(expected.Select(e => $"{e.Rule} {(e.Raised ? "raised" : "cleared")}").SequenceEqual(run.Alerts.Select(a => $"{a.Rule} {a.State}")), run.Describe());

    /// <summary>Minutes after the start at which <paramref name="signal"/> first satisfies <paramref name="condition"/> after <paramref name="fromMinute"/>.</summary>
    private static double FirstMinute(ScenarioWorld world, double fromMinute, Func<DateTimeOffset, double> signal, Func<double, bool> condition)
    {
        for (double m = fromMinute; m < 24 * 60; m += 1.0 / 60)
            if (condition(signal(world.Start.AddMinutes(m)))) return m;
        throw new InvalidOperationException("never");
    }

    [Fact]
    public void Desaturation_raises_spo2_low_30_s_after_SpO2_falls_under_90_and_clears_it_once_it_is_back_at_92()
    {
        using var run = Run(Named("desaturation"), 8, "spo2-bed1", "temp-bed1", "env-1");
        Only(run, ("spo2-low", true), ("spo2-low", false));
        var patient = run.World.Patient("bed1");
        double under = FirstMinute(run.World, 0, patient.SpO2, v => v < 90), back = FirstMinute(run.World, 3, patient.SpO2, v => v >= 92);
        Assert.InRange(run.Minutes(run.Alerts[0].At), under + 0.5 - Tolerance, under + 0.5 + Tolerance);
        Assert.InRange(run.Minutes(run.Alerts[1].At), back - Tolerance, back + Tolerance);
        Assert.Equal(run.Alerts[0].EpisodeStart, run.Alerts[1].EpisodeStart);
    }

    [Fact]
    public void Exercise_up_to_150_bpm_for_10_minutes_is_not_tachycardia_at_rest()
    {
        using var run = Run(Named("exercise"), 20, "spo2-bed1");
        Only(run);
        Assert.True(run.Engine.Statuses.Single(s => s.Name == "tachycardia-at-rest").Matched > 4000);
    }

    [Fact]
    public void Fever_raises_fever_once_5_minutes_into_38_degrees_and_the_rising_trend_once()
    {
        using var run = Run(Named("fever"), 360, "temp-bed1");
        Only(run, ("temperature-rising", true), ("fever", true), ("temperature-rising", false));
        // The thermometer reports body temperature from the skin reading: its estimate and the model's core temperature
        // differ by a few hundredths, minutes on a rise of 1.3 °C/h, so the check is in degrees, not minutes.
        var fever = run.Of("fever").Single();
        Assert.InRange(run.World.Patient("bed1").BodyTemperature(DateTimeOffset.FromUnixTimeMilliseconds(fever.EpisodeStart)), 37.9, 38.1);
        Assert.InRange((fever.At - fever.EpisodeStart) / 60_000.0, 5, 5 + 10 / 60.0); // held 5 minutes, to the next 10 s report
    }

    [Fact]
    public void A_fall_with_no_movement_for_60_s_raises_fall_no_movement_a_minute_after_the_fall_is_reported()
    {
        using var run = Run(Named("fall"), 4, "fall-bed1", "spo2-bed1");
        Only(run, ("fall-no-movement", true));
        var impact = run.World.Patient("bed1").FallsUntil(run.World.Start.AddMinutes(4)).Single();
        double minute = (impact - run.Start).TotalMinutes;
        Assert.InRange(run.Minutes(run.Alerts[0].At), minute + 1 + 2.0 / 60, minute + 1 + 4.5 / 60); // reported 2-4.5 s after impact
        Assert.Equal("bed1", run.Alerts[0].Key);
    }

    [Fact]
    public void A_vehicle_stopped_on_the_detectors_raises_stopped_vehicle_and_blocks_the_lane()
    {
        using var run = Run(Named("stopped-vehicle"), 10, "tof-lane1");
        var stopped = run.Of("stopped-vehicle").ToList();
        Assert.True(stopped.Select(a => a.Raised).SequenceEqual([true, false]), run.Describe());
        Assert.InRange(run.Minutes(stopped[0].At), 2 + 3 - Tolerance, 2 + 3 + Tolerance); // presence held 3 minutes
        Assert.InRange(run.Minutes(stopped[1].At), 7 - Tolerance, 7 + Tolerance);
        // A lane held at 100 % occupancy for 5 minutes is also a congested lane: one episode, inside the stop.
        var congestion = run.Of("lane-congestion").ToList();
        Assert.True(congestion.Select(a => a.Raised).SequenceEqual([true, false]), run.Describe());
        Assert.InRange(run.Minutes(congestion[0].EpisodeStart), 2 - 2.5, 3);
        Assert.Equal(stopped.Count + congestion.Count, run.Alerts.Count);
    }

    [Fact]
    public void A_stuck_weather_station_raises_sensor_stuck_after_12_identical_reports_and_clears_when_it_moves_again()
    {
        using var run = Run(Named("faults"), 6, "env-1");
        Only(run, ("sensor-stuck", true), ("sensor-stuck", false));
        Assert.InRange(run.Minutes(run.Alerts[0].At), 1 + 11 * 10 / 60.0 - Tolerance, 1 + 11 * 10 / 60.0 + Tolerance); // the 12th identical report
        Assert.InRange(run.Minutes(run.Alerts[1].At), 4 - Tolerance, 4 + Tolerance);
    }

    [Fact]
    public void A_disconnected_thermometer_raises_sensor_silent_after_12_missed_reports_and_clears_when_it_answers()
    {
        var scenario = Named("faults") with { Name = "thermometer-off", Faults = [new Fault("temp-bed1", FaultKind.Disconnect, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5))] };
        using var run = Run(scenario, 10, "temp-bed1", "env-1");
        Only(run, ("sensor-silent", true), ("sensor-silent", false));
        Assert.Equal("temp-bed1", run.Alerts[0].Key);
        Assert.InRange(run.Minutes(run.Alerts[0].At), 2 + 2 - Tolerance, 2 + 2 + Tolerance); // last report before 2 min + 12 × 10 s
        Assert.InRange(run.Minutes(run.Alerts[1].At), 7 - Tolerance, 7 + Tolerance);
    }

    [Fact]
    public void Rush_hour_raises_lane_congestion_while_the_flow_is_over_the_congestion_level_and_nothing_else()
    {
        // Ground truth: the lane congests while the flow exceeds TrafficProfile.CongestionAbovePerHour (1,500/h): from
        // before the start (07:30, 1,620/h) until the flow falls under it after the 08:00 peak. Queued vehicles stand on
        // the detector for up to 2.5 minutes: not a stopped vehicle (3 minutes), which is why that rule waits that long.
        var scenario = Named("rush-hour");
        var rules = new ShippedRules();
        var world = new ScenarioWorld(scenario, 42, ScenarioRun.Midnight);
        foreach (var (topic, r) in ModelRun.Readings(world, TimeSpan.FromMinutes(120))) rules.Feed(topic, r);
        Assert.True(rules.Alerts.Select(a => $"{a.Rule} {a.State}").SequenceEqual(["lane-congestion raised", "lane-congestion cleared"]), Describe(rules.Alerts, world));
        var lane = world.Lane("lane1");
        double end = Enumerable.Range(0, 120 * 60).Select(s => s / 60.0).First(m => lane.FlowPerHour(world.Start.AddMinutes(m)) < scenario.Traffic.CongestionAbovePerHour);
        double Minutes(long ms) => (DateTimeOffset.FromUnixTimeMilliseconds(ms) - world.Start).TotalMinutes;
        Assert.InRange(Minutes(rules.Alerts[0].At), 0, 1); // the first window closed after the start
        Assert.InRange(Minutes(rules.Alerts[1].At), end, end + 4); // a 2-minute window, every 30 s, must fall under 25 %
    }

    [Fact]
    public void The_default_day_raises_nothing_but_its_falls_over_24_simulated_hours()
    {
        var rules = new ShippedRules();
        var world = new ScenarioWorld(Named("default"), 42, ScenarioRun.Midnight);
        foreach (var (topic, r) in ModelRun.Readings(world, TimeSpan.FromHours(24))) rules.Feed(topic, r);
        var falls = world.Patient("bed1").FallsUntil(world.Start.AddHours(24).AddSeconds(-70)).ToList();
        Assert.True(falls.Count >= 47, $"{falls.Count} falls");
        Assert.All(rules.Alerts, a => Assert.True(a.Rule == "fall-no-movement", Describe(rules.Alerts, world)));
        Assert.Equal(falls.Count, rules.Alerts.Count(a => a.Raised));
    }

    private static string Describe(IEnumerable<AlertEvent> alerts, ScenarioWorld world) =>
        string.Join("\n", alerts.Take(40).Select(a => $"{a.Rule} {a.Key} {a.State} at +{(DateTimeOffset.FromUnixTimeMilliseconds(a.At) - world.Start).TotalMinutes:0.00} min"));
}
