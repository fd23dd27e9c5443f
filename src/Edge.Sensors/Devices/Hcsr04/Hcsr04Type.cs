using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Detection;

namespace Edge.Sensors.Devices.Hcsr04;

/// <summary>The "hcsr04" sensor type: an HC-SR04 ultrasonic module on two GPIO lines looking down on a lane.</summary>
public static class Hcsr04Type
{
    public const string Name = "hcsr04";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "HC-SR04 ultrasonic presence detector on GPIO (count, occupancy, distance; 4 m range)",
        Kind = ReadingKinds.TrafficOccupancy,
        Bus = SensorBus.Gpio,
        PinRoles = ["Trigger", "Echo"],
        DefaultInterval = TimeSpan.FromMilliseconds(100), // pings at least 100 ms apart: Hcsr04DistanceSource.MinPingSpacing says why
        DefaultTopic = "traffic",
        BlockingRead = true, // each read sleeps until the echo ends, up to Hcsr04DistanceSource.EchoTimeout
        Calibration = DetectorCalibration.Presence(3.0),
        Create = (spec, hw, time) => new PresenceSensor(spec.Id,
            new Hcsr04DistanceSource(hw.OpenGpio(spec), spec.Pin("Trigger"), spec.Pin("Echo")), DetectorCalibration.PresenceOptions(spec, 1, 2), DetectorCalibration.Report(spec), time),
    };
}
