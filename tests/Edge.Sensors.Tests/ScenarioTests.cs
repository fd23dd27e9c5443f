using Edge.FirmwareSim.Board;
using Edge.FirmwareSim.Scenarios;
using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Hardware;
using Edge.Sensors.Sampling;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

/// <summary>The scenario engine drives the real drivers through firmware-sim's board, with ground truth to check against.</summary>
public class ScenarioTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    internal static (SimulatedBoard Board, FakeTimeProvider Time) Board(string scenario, int seed = 42)
    {
        Assert.True(ScenarioCatalog.TryGet(scenario, out var s));
        var time = new FakeTimeProvider(Midnight);
        var world = new ScenarioWorld(s, seed, time.GetUtcNow());
        time.SetUtcNow(world.Start);
        return (new SimulatedBoard(time, world), time);
    }

    internal static SensorSpec Spec(string id, SensorDefinition definition)
    {
        var specs = SensorDefinitionValidator.Validate(new Dictionary<string, SensorDefinition> { [id] = definition }, null, out var errors);
        Assert.Empty(errors);
        return specs[0];
    }

    [Fact]
    public void A_seed_reproduces_the_same_world_and_another_seed_does_not()
    {
        ScenarioCatalog.TryGet("default", out var scenario);
        ScenarioWorld W(int seed) => new(scenario, seed, Midnight.AddHours(7));
        DateTimeOffset[] times = [Midnight.AddHours(7.5), Midnight.AddHours(8), Midnight.AddHours(9.25)];
        var (a, b, c) = (W(5), W(5), W(6));
        Assert.Equal(times.Select(t => a.Lane("l").VehiclesSoFar(t)), times.Select(t => b.Lane("l").VehiclesSoFar(t)));
        Assert.Equal(times.Select(t => a.Patient("p").HeartRate(t)), times.Select(t => b.Patient("p").HeartRate(t)));
        Assert.NotEqual(times.Select(t => a.Lane("l").VehiclesSoFar(t)), times.Select(t => c.Lane("l").VehiclesSoFar(t)));
        // Two sites of one world are different lanes; one site seen twice is the same lane.
        Assert.Same(a.Lane("l"), a.Lane("l"));
        Assert.NotEqual(a.Lane("l").VehiclesSoFar(times[2]), a.Lane("other").VehiclesSoFar(times[2]));
    }

    [Fact]
    public void Rush_hour_builds_to_its_peak_and_congests_into_a_crawl()
    {
        ScenarioCatalog.TryGet("rush-hour", out var scenario);
        var world = new ScenarioWorld(scenario, 3, Midnight);
        var lane = world.Lane("lane1");
        int Count(double fromHour, double toHour) => -lane.VehiclesSoFar(Midnight.AddHours(fromHour)) + lane.VehiclesSoFar(Midnight.AddHours(toHour)); // ascending: the lane forgets vehicles long gone
        int early = Count(5.5, 6.0), peak = Count(7.75, 8.25);
        // Demand is ~1,800/h at the top of the bump, but crawling queues only let ~1,000-1,300/h through.
        Assert.InRange(peak, 400, 700);
        Assert.True(peak > 2 * early, $"peak {peak} vs early {early}");
        var speeds = Enumerable.Range(0, 3600).Select(i => lane.VehicleAt(Midnight.AddHours(8).AddSeconds(i / 4.0))).OfType<Vehicle>().Select(v => v.SpeedKmh).ToList();
        Assert.NotEmpty(speeds);
        Assert.True(speeds.Max() <= 15, "vehicles crawl when congested");
        Assert.True(lane.FlowPerHour(Midnight.AddHours(8)) > 1500);
    }

    [Fact]
    public void A_stopped_vehicle_is_one_long_detection_through_the_real_QMC5883L_driver()
    {
        var (board, time) = Board("stopped-vehicle");
        var spec = Spec("mag-lane1", new SensorDefinition { Type = "qmc5883l", Site = "lane1" });
        using var sensor = spec.Type.Create(spec, board, time);
        var stopAt = board.World.Start.AddMinutes(2);
        var dwells = new List<(DateTimeOffset At, double Dwell)>();
        for (int i = 0; i < 10 * 60 * 50; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(20));
            if (sensor.TryRead(out var values)) dwells.Add((time.GetUtcNow(), values.Single(v => v.Name == "dwell").Value));
        }
        var longest = dwells.MaxBy(d => d.Dwell);
        Assert.InRange(longest.Dwell, 295, 305);
        Assert.InRange((longest.At - stopAt).TotalSeconds, 300, 302); // reported when it leaves
        Assert.True(dwells.Count > 10, "other traffic was counted too");
    }

    [Fact]
    public async Task A_disconnect_fault_degrades_the_lane_sensor_for_its_minute_and_it_recovers_by_itself()
    {
        var (board, time) = Board("faults");
        var spec = Spec("mag-lane1", new SensorDefinition { Type = "qmc5883l", Site = "lane1", Interval = TimeSpan.FromSeconds(1) });
        await using var h = new SamplerHarness(new ReconnectingSensor(spec, board, time), spec.Sampling, time);
        var faultStart = board.World.Start.AddMinutes(1);
        var states = new List<(DateTimeOffset, SensorState)>();
        for (int i = 0; i < 240; i++)
        {
            await h.Tick();
            states.Add((time.GetUtcNow(), h.Sampler.Status.State));
        }
        Assert.All(states.Where(s => s.Item1 < faultStart), s => Assert.Equal(SensorState.Ok, s.Item2));
        Assert.All(states.Where(s => s.Item1 > faultStart && s.Item1 < faultStart.AddMinutes(1)), s => Assert.Equal(SensorState.Degraded, s.Item2));
        // Backoff caps at 64 ticks; the sensor is back well before the end.
        var back = states.First(s => s.Item1 > faultStart.AddMinutes(1) && s.Item2 == SensorState.Ok).Item1;
        Assert.True(back < faultStart.AddMinutes(2.2), $"recovered at {back}");
        Assert.All(states.Where(s => s.Item1 > back), s => Assert.Equal(SensorState.Ok, s.Item2));
        Assert.True(h.Sampler.Status.Failures > 0);
    }

    [Fact]
    public void The_loop_detector_counts_the_lanes_vehicles_through_the_simulated_GPIO_within_two_percent()
    {
        var (board, time) = Board("rush-hour", seed: 9);
        var spec = Spec("loop-1", new SensorDefinition { Type = "loop", Pins = { ["Input"] = 17 }, Site = "lane1" });
        using var sensor = spec.Type.Create(spec, board, time);
        var lane = board.World.Lane("lane1");
        int before = lane.VehiclesSoFar(time.GetUtcNow());
        double counted = 0;
        for (int minute = 0; minute < 30; minute++)
        {
            for (int i = 0; i < 60 * 200; i++) time.Advance(TimeSpan.FromMilliseconds(5));
            Assert.True(sensor.TryRead(out var values));
            counted += values.Single(v => v.Name == "count").Value;
        }
        // Vehicles present at the start are not arrivals inside the window: compare arrivals.
        int truth = lane.VehiclesSoFar(time.GetUtcNow()) - before;
        Assert.True(truth > 300, $"{truth} vehicles");
        Assert.InRange(counted, truth * 0.98, truth * 1.02);
    }

    [Fact]
    public void The_pulse_oximeter_follows_the_patient_through_exercise_and_a_desaturation()
    {
        foreach (var (scenario, at, truthOf) in new (string, TimeSpan, Func<Patient, DateTimeOffset, (double, double)>)[]
        {
            ("exercise", TimeSpan.FromMinutes(10), (p, t) => (p.HeartRate(t), p.SpO2(t))),
            ("desaturation", TimeSpan.FromMinutes(3), (p, t) => (p.HeartRate(t), p.SpO2(t))),
        })
        {
            var (board, time) = Board(scenario);
            var spec = Spec("spo2-bed1", new SensorDefinition { Type = "max30102", Site = "bed1" });
            using var sensor = spec.Type.Create(spec, board, time);
            var end = board.World.Start + at;
            IReadOnlyList<ReadingValue> last = [];
            while (time.GetUtcNow() < end)
            {
                time.Advance(TimeSpan.FromMilliseconds(250));
                if (sensor.TryRead(out var values)) last = values;
            }
            var (hr, spo2) = truthOf(board.World.Patient("bed1"), end.AddSeconds(-2));
            Assert.InRange(last.Single(v => v.Name == "bpm").Value, hr - 3, hr + 3);
            Assert.InRange(last.Single(v => v.Name == "spo2").Value, spo2 - 2, spo2 + 2);
        }
    }
}
