namespace Edge.FirmwareSim.Devices;

/// <summary>
/// What the scenario looks like to a kind of sensor rather than to one chip, shared by the chips of that kind: the
/// lane's magnetic disturbance to a magnetometer (QMC5883L, HMC5883L), the road's range to a time-of-flight sensor
/// (VL53L0X, VL53L1X). Each carries the scenario's noise bursts and input-time faults for the sensor.
/// </summary>
internal static class SiteSignals
{
    /// <summary>The field (gauss) at the sensor beside its lane, with noise bursts of σ 0.2 G per axis.</summary>
    public static Func<DateTimeOffset, (double X, double Y, double Z)> LaneField(DeviceContext c)
    {
        var lane = c.World.Lane(c.Sensor.Site);
        return t =>
        {
            var (x, y, z) = lane.FieldAt(c.Input(t));
            return (x + c.Noise(t, 0.2, 0), y + c.Noise(t, 0.2, 1), z + c.Noise(t, 0.2, 2));
        };
    }

    /// <summary>Range (mm) seen by a ranging sensor looking down from its mount height, with noise bursts of σ 50 mm.</summary>
    public static Func<DateTimeOffset, double> RangeMillimeters(DeviceContext c)
    {
        var lane = c.World.Lane(c.Sensor.Site);
        double mount = c.Sensor.Setting("MountHeightMeters");
        return t => 1000 * lane.DistanceMeters(c.Input(t), mount) + c.Noise(t, 50);
    }
}
