using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Detection;

namespace Edge.Sensors.Devices.Vl53l1x;

/// <summary>The "vl53l1x" sensor type: a VL53L1X long-range time-of-flight sensor looking down on a lane.</summary>
public static class Vl53l1xType
{
    public const string Name = "vl53l1x";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "VL53L1X time-of-flight presence detector over a lane (count, occupancy, distance; 4 m range)",
        Kind = ReadingKinds.TrafficOccupancy,
        Bus = SensorBus.I2c,
        Addresses = [0x29],
        DefaultInterval = TimeSpan.FromMilliseconds(50),
        DefaultTopic = "traffic",
        Calibration = DetectorCalibration.Presence(3.5),
        Create = (spec, hw, time) => new PresenceSensor(spec.Id, new Vl53l1xDistanceSource(hw.OpenI2c(spec)), DetectorCalibration.PresenceOptions(spec, 2, 3), DetectorCalibration.Report(spec), time),
    };
}
