using Edge.Readings;
using Edge.Sensors.Configuration;
using Iot.Device.Ads1115;

namespace Edge.Sensors.Devices.Ads1115;

/// <summary>The "ads1115-pulse" sensor type: an analog pulse sensor (PulseSensor.com type) on an ADS1115 input.</summary>
public static class Ads1115PulseType
{
    public const string Name = "ads1115-pulse";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "analog pulse sensor (PulseSensor.com type) on an ADS1115 input (heart rate from beat detection)",
        Kind = ReadingKinds.HeartRate,
        Bus = SensorBus.I2c,
        Addresses = [0x48, 0x49, 0x4A, 0x4B], // ADDR strapped to GND, VDD, SDA, SCL (datasheet Table 4)
        DefaultInterval = TimeSpan.FromMilliseconds(8),
        DefaultTopic = "health",
        Calibration = new Dictionary<string, double> { ["Channel"] = 0, ["FullScaleVolts"] = 4.096, ["MinAmplitudeVolts"] = 0.1 },
        Create = (spec, hw, time) => new AnalogPulseSensor(spec.Id,
            new Iot.Device.Ads1115.Ads1115(hw.OpenI2c(spec), PulseInput(spec), PulseRange(spec), DataRate.SPS250, DeviceMode.Continuous), time, spec.Setting("MinAmplitudeVolts")),
    };

    // Channel 0-3 is AIN0-AIN3 against GND; anything else is a configuration error naming the key.
    private static InputMultiplexer PulseInput(SensorSpec spec) => spec.Setting("Channel") switch
    {
        0 => InputMultiplexer.AIN0,
        1 => InputMultiplexer.AIN1,
        2 => InputMultiplexer.AIN2,
        3 => InputMultiplexer.AIN3,
        var c => throw new ArgumentException($"Sensors:{spec.Id}:Calibration:Channel {c} is not an ADS1115 input (0-3)"),
    };

    // The smallest PGA range that holds the largest expected input (datasheet Table 3: ±0.256 ... ±6.144 V).
    private static MeasuringRange PulseRange(SensorSpec spec)
    {
        double volts = spec.Setting("FullScaleVolts");
        (double Volts, MeasuringRange Range)[] ranges =
            [(0.256, MeasuringRange.FS0256), (0.512, MeasuringRange.FS0512), (1.024, MeasuringRange.FS1024), (2.048, MeasuringRange.FS2048), (4.096, MeasuringRange.FS4096), (6.144, MeasuringRange.FS6144)];
        return ranges.FirstOrDefault(r => r.Volts >= volts - 1e-9, ranges[^1]).Range;
    }
}
