using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Detection;

namespace Edge.Sensors.Devices.Qmc5883l;

/// <summary>The "qmc5883l" sensor type: a QMC5883L magnetometer beside a lane, feeding the vehicle detector.</summary>
public static class Qmc5883lType
{
    public const string Name = "qmc5883l";

    public static SensorType Descriptor { get; } = new()
    {
        Name = Name,
        Description = "QMC5883L magnetometer lane detector (vehicle events with dwell time)",
        Kind = ReadingKinds.TrafficVehicle,
        Bus = SensorBus.I2c,
        Addresses = [Qmc5883l.DefaultI2cAddress],
        DefaultInterval = TimeSpan.FromMilliseconds(20),
        DefaultTopic = "traffic",
        Calibration = DetectorCalibration.Vehicle(),
        Create = (spec, hw, time) => new VehicleDetectionSensor(spec.Id, new Qmc5883lFieldSource(new Qmc5883l(hw.OpenI2c(spec))), DetectorCalibration.VehicleOptions(spec), time),
    };
}
