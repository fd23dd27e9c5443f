using Edge.Readings;
using Edge.Sensors.Configuration;

namespace Edge.Sensors.Devices.Hcsr501;

/// <summary>The "hcsr501" sensor type: an HC-SR501 PIR motion detector's output on a GPIO line.</summary>
public static class Hcsr501Type
{
    public const string Name = "hcsr501";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "HC-SR501 PIR motion detector on GPIO (motion events and active share per interval)",
        Kind = ReadingKinds.TrafficMotion,
        Bus = SensorBus.Gpio,
        PinRoles = ["Output"],
        DefaultInterval = TimeSpan.FromSeconds(60),
        DefaultTopic = "traffic",
        Create = (spec, hw, time) => new Hcsr501Sensor(spec.Id, hw.OpenGpio(spec), spec.Pin("Output"), time),
    };
}
