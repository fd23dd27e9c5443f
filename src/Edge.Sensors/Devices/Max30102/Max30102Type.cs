using Edge.Readings;
using Edge.Sensors.Configuration;

namespace Edge.Sensors.Devices.Max30102;

/// <summary>The "max30102" sensor type: a MAX30102 pulse oximeter at a fingertip.</summary>
public static class Max30102Type
{
    public const string Name = "max30102";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "MAX30102 pulse oximeter (heart rate and SpO2 from the PPG)",
        Kind = ReadingKinds.SpO2,
        Bus = SensorBus.I2c,
        Addresses = [Max30102.DefaultI2cAddress],
        DefaultInterval = TimeSpan.FromMilliseconds(250),
        DefaultTopic = "health",
        Calibration = new Dictionary<string, double> { ["LedCurrentMilliamps"] = 7.2 },
        Create = (spec, hw, _) => new Max30102Sensor(spec.Id, new Max30102(hw.OpenI2c(spec), ledCurrentMilliamps: spec.Setting("LedCurrentMilliamps"))),
    };
}
