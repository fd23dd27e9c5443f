using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Detection;
using Iot.Device.Hmc5883l;

namespace Edge.Sensors.Devices.Hmc5883l;

/// <summary>The "hmc5883l" sensor type: an HMC5883L magnetometer beside a lane, feeding the vehicle detector.</summary>
public static class Hmc5883lType
{
    public const string Name = "hmc5883l";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "HMC5883L magnetometer lane detector (vehicle events with dwell time)",
        Kind = ReadingKinds.TrafficVehicle,
        Bus = SensorBus.I2c,
        Addresses = [0x1E],
        DefaultInterval = TimeSpan.FromMilliseconds(20),
        DefaultTopic = "traffic",
        Calibration = DetectorCalibration.Vehicle(),
        Create = (spec, hw, time) => new VehicleDetectionSensor(spec.Id,
            new Hmc5883lFieldSource(new Iot.Device.Hmc5883l.Hmc5883l(hw.OpenI2c(spec), Gain.Gain1090, outputRate: OutputRate.Rate75)), DetectorCalibration.VehicleOptions(spec), time),
    };
}
