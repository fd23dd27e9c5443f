using Edge.FirmwareSim.Devices.Vl53l1x;
using Edge.FirmwareSim.Scenarios;
using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Detection;
using Edge.Sensors.Devices.Vl53l1x;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

public class PresenceDetectionTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero); // the tail of the morning rush: moderate flow

    [Fact]
    public void An_hour_of_moderate_traffic_through_the_real_VL53L1X_binding_is_counted_within_two_percent()
    {
        var time = new FakeTimeProvider(Morning);
        var lane = new TrafficLane(seed: 21, vehiclesPerHourAtPeak: 900);
        var chip = new Vl53l1xSimulator(time) { DistanceModel = t => 1000 * lane.DistanceMeters(t, 3.5) };
        time.Advance(TimeSpan.FromMilliseconds(2));
        using var source = new Vl53l1xDistanceSource(chip);
        var detector = new PresenceDetector(new PresenceDetectorOptions { InitialBaselineMeters = 3.5 });
        int before = lane.VehiclesSoFar(time.GetUtcNow()); // ask in ascending time: the lane forgets vehicles long gone
        double occupiedSamples = 0, samples = 0;
        for (int i = 0; i < 20 * 3600; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            if (source.TryReadDistance(out double? meters)) detector.Add(time.GetUtcNow(), meters);
            samples++;
            if (lane.Occupied(time.GetUtcNow())) occupiedSamples++;
        }
        int truth = lane.VehiclesSoFar(time.GetUtcNow().AddSeconds(-5)) - before;
        Assert.InRange(truth, 150, 900);
        Assert.InRange(detector.Count, truth * 0.98, truth * 1.02 + 1);
        Assert.Equal(3.5, detector.BaselineMeters, 2);
        var interval = detector.Collect(time.GetUtcNow());
        Assert.Equal(100 * occupiedSamples / samples, interval.OccupancyPercent, 1.0); // occupancy within one point of the truth
    }

    [Fact]
    public void The_baseline_is_learned_from_the_road_and_a_long_stationary_object_is_absorbed()
    {
        var t0 = Morning;
        var detector = new PresenceDetector(new PresenceDetectorOptions { MaxPresence = TimeSpan.FromMinutes(1) });
        void Feed(double? m, double seconds, double from)
        {
            for (double s = 0; s < seconds; s += 0.05) detector.Add(t0.AddSeconds(from + s), m);
        }
        Feed(2.0, 10, 0);            // learns the road at 2.0 m from the first sample
        Assert.Equal(2.0, detector.BaselineMeters, 3);
        Feed(0.4, 1, 10);            // a vehicle
        Feed(null, 1, 11);           // nothing in range: the road again
        Assert.Equal(1, detector.Count);
        Assert.False(detector.Present);
        Feed(1.2, 120, 12);          // a skip parked under the sensor for two minutes
        Assert.Equal(2, detector.Count);
        Assert.False(detector.Present); // absorbed after a minute
        Assert.Equal(1.2, detector.BaselineMeters, 2);
        Feed(0.2, 1, 132);
        Assert.Equal(3, detector.Count);
    }

    [Fact]
    public void A_VL53L0X_over_a_lane_reports_counts_and_occupancy_through_the_catalog_on_the_simulated_board()
    {
        var (board, time) = ScenarioTests.Board("rush-hour", seed: 4);
        var spec = ScenarioTests.Spec("tof-lane1", new SensorDefinition { Type = "vl53l0x", Site = "lane1" });
        time.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1); // the binding's calibrations at start poll the chip's clock
        using var sensor = spec.Type.Create(spec, board, time);
        time.AutoAdvanceAmount = TimeSpan.Zero;
        var lane = board.World.Lane("lane1");
        int before = lane.VehiclesSoFar(time.GetUtcNow());
        var reports = new List<IReadOnlyList<ReadingValue>>();
        for (int i = 0; i < 20 * 60 * 5 + 20; i++) // five minutes from the first read, plus the start-up
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            if (sensor.TryRead(out var values)) reports.Add(values);
        }
        Assert.Equal(ReadingKinds.TrafficOccupancy, sensor.Kind);
        Assert.Equal(5, reports.Count); // one per minute
        double counted = reports.Sum(r => r.Single(v => v.Name == "count").Value);
        int truth = lane.VehiclesSoFar(time.GetUtcNow().AddSeconds(-5)) - before;
        Assert.InRange(truth, 50, 400);
        Assert.InRange(counted, truth * 0.95 - 1, truth * 1.05 + 1); // five minutes: a vehicle at each edge of the window may differ
        Assert.All(reports, r => Assert.Equal(1.9, r.Single(v => v.Name == "baseline").Value, 2));
        Assert.All(reports, r => Assert.InRange(r.Single(v => v.Name == "occupancy").Value, 1, 95));
    }
}
