using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Detection;

namespace Edge.Sensors.Devices.Mpu6050;

/// <summary>The "mpu6050" sensor type: a body-worn MPU-6050 accelerometer feeding the fall detector.</summary>
public static class Mpu6050Type
{
    public const string Name = "mpu6050";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "MPU-6050 body-worn accelerometer (fall events: free fall, impact, inactivity)",
        Kind = ReadingKinds.Fall,
        Alarm = true,
        Bus = SensorBus.I2c,
        Addresses = [Iot.Device.Imu.Mpu6050.DefaultI2cAddress, Iot.Device.Imu.Mpu6050.SecondI2cAddress],
        DefaultInterval = TimeSpan.FromMilliseconds(20),
        DefaultTopic = "health",
        Calibration = new Dictionary<string, double> { ["FreeFallG"] = 0.45, ["ImpactG"] = 2.3, ["InactivitySeconds"] = 2 },
        Create = (spec, hw, time) => new FallDetectionSensor(spec.Id, new Mpu6050AccelerationSource(new Iot.Device.Imu.Mpu6050(hw.OpenI2c(spec))), new FallDetectorOptions
        {
            FreeFallG = spec.Setting("FreeFallG"),
            ImpactG = spec.Setting("ImpactG"),
            Inactivity = TimeSpan.FromSeconds(spec.Setting("InactivitySeconds")),
        }, time),
    };
}
