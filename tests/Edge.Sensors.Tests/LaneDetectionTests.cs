using Edge.FirmwareSim.Devices.Qmc5883l;
using Edge.FirmwareSim.Scenarios;
using Edge.Sensors.Detection;
using Edge.Sensors.Devices.Qmc5883l;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Sensors.Tests;

public class LaneDetectionTests
{
    [Fact]
    public void An_hour_of_moderate_traffic_through_the_real_driver_on_the_register_model_is_counted_within_two_percent()
    {
        var start = new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero); // the tail of the morning rush: moderate flow
        var time = new FakeTimeProvider(start);
        var lane = new TrafficLane(seed: 21, vehiclesPerHourAtPeak: 900);
        var chip = new Qmc5883lSimulator(time) { FieldModel = lane.FieldAt };
        using var magnetometer = new Qmc5883l(chip, Qmc5883lRange.Gauss8, Qmc5883lOutputRate.Hz50);
        var detector = new MagneticVehicleDetector(new VehicleDetectorOptions());
        for (int i = 0; i < 50 * 3600; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(20));
            if (magnetometer.TryReadMagneticField(out var f))
                detector.Add(time.GetUtcNow(), f.X.Gausses, f.Y.Gausses, f.Z.Gausses);
        }
        int truth = lane.VehiclesSoFar(time.GetUtcNow().AddSeconds(-5)); // vehicles that have fully passed
        Assert.InRange(truth, 150, 900);
        Assert.InRange(detector.Count, truth * 0.98, truth * 1.02 + 1);
    }
}
