using Edge.Sensors.Devices.Hcsr04;

namespace Edge.FirmwareSim.Devices.Hcsr04;

/// <summary>An "hcsr04" looking down on its site's lane from the configured mount height.</summary>
public static class Hcsr04Model
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Hcsr04Type.Name,
        Gpio = c =>
        {
            // The echo is timed in real time at each read of the pin; the target distance comes from the scenario at the ping.
            var road = c.World.Lane(c.Sensor.Site);
            double mount = c.Sensor.Setting("MountHeightMeters");
            c.Own(new UltrasonicEcho(c.Gpio, c.Sensor.Pin("Trigger"), c.Sensor.Pin("Echo"), () => road.DistanceMeters(c.Input(c.Time.GetUtcNow()), mount))
            {
                DisconnectedWhen = () => c.Disconnected(c.Time.GetUtcNow()),
            });
        },
    };
}
