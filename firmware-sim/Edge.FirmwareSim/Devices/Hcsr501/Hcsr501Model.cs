using Edge.Sensors.Devices.Hcsr501;

namespace Edge.FirmwareSim.Devices.Hcsr501;

/// <summary>An "hcsr501" watching its site's lane.</summary>
public static class Hcsr501Model
{
    public static DeviceModel Descriptor { get; } = new()
    {
        SensorType = Hcsr501Type.Name,
        Gpio = c =>
        {
            // Retrigger mode: high while vehicles move past and 2.5 s after; unpowered reads low.
            var road = c.World.Lane(c.Sensor.Site);
            var pir = new PirOutput(t => road.Motion(c.Input(t))) { DisconnectedWhen = c.Disconnected };
            c.Attach(c.Sensor.Pin("Output"), pir.At);
        },
    };
}
