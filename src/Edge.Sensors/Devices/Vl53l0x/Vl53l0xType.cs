using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Detection;

namespace Edge.Sensors.Devices.Vl53l0x;

/// <summary>The "vl53l0x" sensor type: a VL53L0X time-of-flight sensor looking down on a lane or bay.</summary>
public static class Vl53l0xType
{
    public const string Name = "vl53l0x";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "VL53L0X time-of-flight presence detector over a lane or bay (count, occupancy, distance; 2 m range)",
        Kind = ReadingKinds.TrafficOccupancy,
        Bus = SensorBus.I2c,
        Addresses = [0x29],
        DefaultInterval = TimeSpan.FromMilliseconds(50),
        DefaultTopic = "traffic",
        Calibration = DetectorCalibration.Presence(1.9),
        Create = (spec, hw, time) => new PresenceSensor(spec.Id, new Vl53l0xDistanceSource(hw.OpenI2c(spec)), DetectorCalibration.PresenceOptions(spec, 2, 3), DetectorCalibration.Report(spec), time),
    };
}
