using Edge.Readings;
using Edge.Sensors.Detection;
using Edge.Sensors.Devices.Hcsr04;
using Edge.Sensors.Devices.Hcsr501;
using Edge.Sensors.Devices.Hmc5883l;
using Edge.Sensors.Devices.InductiveLoop;
using Edge.Sensors.Devices.Max30102;
using Edge.Sensors.Devices.Qmc5883l;
using Edge.Sensors.Devices.Vl53l0x;
using Edge.Sensors.Devices.Vl53l1x;
using Iot.Device.Hmc5883l;
using Edge.Sensors.Devices.Ads1115;
using Edge.Sensors.Devices.Bme280;
using Edge.Sensors.Devices.Mlx90614;
using Edge.Sensors.Devices.Mpu6050;
using Iot.Device.Ads1115;
using Iot.Device.Bmxx80;
using Iot.Device.Imu;
using Iot.Device.Mlx90614;

namespace Edge.Sensors.Configuration;

/// <summary>
/// The device types a configuration may name in "Sensors:&lt;id&gt;:Type". Each entry says how the part is wired,
/// its defaults and calibration names, and builds the driver — the real dotnet/iot binding where one exists, ours
/// where none does — on whatever <see cref="Hardware.ISensorHardware"/> the gateway runs on.
/// </summary>
public static class SensorCatalog
{
    private static readonly Dictionary<string, SensorType> ByName = new(StringComparer.OrdinalIgnoreCase);

    static SensorCatalog()
    {
        var vehicleDetector = new Dictionary<string, double> { ["OnThresholdGauss"] = 0.06, ["OffThresholdGauss"] = 0.03 };
        Add(new SensorType
        {
            Name = "qmc5883l",
            Description = "QMC5883L magnetometer lane detector (vehicle events with dwell time)",
            Kind = ReadingKinds.TrafficVehicle,
            Bus = SensorBus.I2c,
            Addresses = [Qmc5883l.DefaultI2cAddress],
            DefaultInterval = TimeSpan.FromMilliseconds(20),
            DefaultTopic = "traffic",
            Calibration = vehicleDetector,
            Create = (spec, hw, time) => new VehicleDetectionSensor(spec.Id, new Qmc5883lFieldSource(new Qmc5883l(hw.OpenI2c(spec))), VehicleOptions(spec), time),
        });
        Add(new SensorType
        {
            Name = "hmc5883l",
            Description = "HMC5883L magnetometer lane detector (vehicle events with dwell time)",
            Kind = ReadingKinds.TrafficVehicle,
            Bus = SensorBus.I2c,
            Addresses = [0x1E],
            DefaultInterval = TimeSpan.FromMilliseconds(20),
            DefaultTopic = "traffic",
            Calibration = vehicleDetector,
            Create = (spec, hw, time) => new VehicleDetectionSensor(spec.Id,
                new Hmc5883lFieldSource(new Hmc5883l(hw.OpenI2c(spec), Gain.Gain1090, outputRate: OutputRate.Rate75)), VehicleOptions(spec), time),
        });
        Add(new SensorType
        {
            Name = "loop",
            Description = "inductive-loop detector card output on GPIO (vehicle count and occupancy per interval)",
            Kind = ReadingKinds.TrafficOccupancy,
            Bus = SensorBus.Gpio,
            PinRoles = ["Input"],
            DefaultInterval = TimeSpan.FromSeconds(60),
            DefaultTopic = "traffic",
            Calibration = new Dictionary<string, double> { ["DebounceMs"] = 30 },
            Create = (spec, hw, time) => new LoopSensor(spec.Id,
                new LoopDetector(hw.OpenGpio(spec), spec.Pin("Input"), time, TimeSpan.FromMilliseconds(spec.Setting("DebounceMs")))),
        });
        Add(new SensorType
        {
            Name = "max30102",
            Description = "MAX30102 pulse oximeter (heart rate and SpO2 from the PPG)",
            Kind = ReadingKinds.SpO2,
            Bus = SensorBus.I2c,
            Addresses = [Max30102.DefaultI2cAddress],
            DefaultInterval = TimeSpan.FromMilliseconds(250),
            DefaultTopic = "health",
            Calibration = new Dictionary<string, double> { ["LedCurrentMilliamps"] = 7.2 },
            Create = (spec, hw, _) => new Max30102Sensor(spec.Id, new Max30102(hw.OpenI2c(spec), ledCurrentMilliamps: spec.Setting("LedCurrentMilliamps"))),
        });
        Add(new SensorType
        {
            Name = "vl53l0x",
            Description = "VL53L0X time-of-flight presence detector over a lane or bay (count, occupancy, distance; 2 m range)",
            Kind = ReadingKinds.TrafficOccupancy,
            Bus = SensorBus.I2c,
            Addresses = [0x29],
            DefaultInterval = TimeSpan.FromMilliseconds(50),
            DefaultTopic = "traffic",
            Calibration = Presence(1.9),
            Create = (spec, hw, time) => new PresenceSensor(spec.Id, new Vl53l0xDistanceSource(hw.OpenI2c(spec)), PresenceOptions(spec, 2, 3), Report(spec), time),
        });
        Add(new SensorType
        {
            Name = "vl53l1x",
            Description = "VL53L1X time-of-flight presence detector over a lane (count, occupancy, distance; 4 m range)",
            Kind = ReadingKinds.TrafficOccupancy,
            Bus = SensorBus.I2c,
            Addresses = [0x29],
            DefaultInterval = TimeSpan.FromMilliseconds(50),
            DefaultTopic = "traffic",
            Calibration = Presence(3.5),
            Create = (spec, hw, time) => new PresenceSensor(spec.Id, new Vl53l1xDistanceSource(hw.OpenI2c(spec)), PresenceOptions(spec, 2, 3), Report(spec), time),
        });
        Add(new SensorType
        {
            Name = "hcsr04",
            Description = "HC-SR04 ultrasonic presence detector on GPIO (count, occupancy, distance; 4 m range)",
            Kind = ReadingKinds.TrafficOccupancy,
            Bus = SensorBus.Gpio,
            PinRoles = ["Trigger", "Echo"],
            DefaultInterval = TimeSpan.FromMilliseconds(100), // pings at least 100 ms apart (platform notes §2)
            DefaultTopic = "traffic",
            Calibration = Presence(3.0),
            Create = (spec, hw, time) => new PresenceSensor(spec.Id,
                new Hcsr04DistanceSource(hw.OpenGpio(spec), spec.Pin("Trigger"), spec.Pin("Echo")), PresenceOptions(spec, 1, 2), Report(spec), time),
        });
        Add(new SensorType
        {
            Name = "hcsr501",
            Description = "HC-SR501 PIR motion detector on GPIO (motion events and active share per interval)",
            Kind = ReadingKinds.TrafficMotion,
            Bus = SensorBus.Gpio,
            PinRoles = ["Output"],
            DefaultInterval = TimeSpan.FromSeconds(60),
            DefaultTopic = "traffic",
            Create = (spec, hw, time) => new Hcsr501Sensor(spec.Id, hw.OpenGpio(spec), spec.Pin("Output"), time),
        });
        AddHealthAndEnvironment();
    }

    // The MLX90614, MPU-6050, ADS1115 pulse input and BME280 (README.md in each Devices/<chip> folder).
    private static void AddHealthAndEnvironment()
    {
        Add(new SensorType
        {
            Name = "mlx90614",
            Description = "MLX90614 infrared thermometer at the forehead (body temperature from skin and room)",
            Kind = ReadingKinds.BodyTemperature,
            Bus = SensorBus.I2c,
            Addresses = [Mlx90614.DefaultI2cAddress],
            DefaultInterval = TimeSpan.FromSeconds(10),
            DefaultTopic = "health",
            Calibration = new Dictionary<string, double> { ["Emissivity"] = 0.98, ["HeatBalanceK"] = 0.19 },
            Create = (spec, hw, _) => new Mlx90614Sensor(spec.Id, new Mlx90614(hw.OpenI2c(spec)), spec.Setting("Emissivity"), spec.Setting("HeatBalanceK")),
        });
        Add(new SensorType
        {
            Name = "mpu6050",
            Description = "MPU-6050 body-worn accelerometer (fall events: free fall, impact, inactivity)",
            Kind = ReadingKinds.Fall,
            Alarm = true,
            Bus = SensorBus.I2c,
            Addresses = [Mpu6050.DefaultI2cAddress, Mpu6050.SecondI2cAddress],
            DefaultInterval = TimeSpan.FromMilliseconds(20),
            DefaultTopic = "health",
            Calibration = new Dictionary<string, double> { ["FreeFallG"] = 0.45, ["ImpactG"] = 2.3, ["InactivitySeconds"] = 2 },
            Create = (spec, hw, time) => new FallDetectionSensor(spec.Id, new Mpu6050AccelerationSource(new Mpu6050(hw.OpenI2c(spec))), new FallDetectorOptions
            {
                FreeFallG = spec.Setting("FreeFallG"),
                ImpactG = spec.Setting("ImpactG"),
                Inactivity = TimeSpan.FromSeconds(spec.Setting("InactivitySeconds")),
            }, time),
        });
        Add(new SensorType
        {
            Name = "ads1115-pulse",
            Description = "analog pulse sensor (PulseSensor.com type) on an ADS1115 input (heart rate from beat detection)",
            Kind = ReadingKinds.HeartRate,
            Bus = SensorBus.I2c,
            Addresses = [0x48, 0x49, 0x4A, 0x4B], // ADDR strapped to GND, VDD, SDA, SCL (datasheet Table 4)
            DefaultInterval = TimeSpan.FromMilliseconds(8),
            DefaultTopic = "health",
            Calibration = new Dictionary<string, double> { ["Channel"] = 0, ["FullScaleVolts"] = 4.096, ["MinAmplitudeVolts"] = 0.1 },
            Create = (spec, hw, time) => new AnalogPulseSensor(spec.Id, new Ads1115(hw.OpenI2c(spec), PulseInput(spec), PulseRange(spec), DataRate.SPS250, DeviceMode.Continuous),
                time, spec.Setting("MinAmplitudeVolts")),
        });
        Add(new SensorType
        {
            Name = "bme280",
            Description = "BME280 temperature, pressure and humidity (normal mode, 1 s standby, ×1 oversampling)",
            Kind = ReadingKinds.Environment,
            Bus = SensorBus.I2c,
            Addresses = [Bmx280Base.DefaultI2cAddress, Bmx280Base.SecondaryI2cAddress],
            DefaultInterval = TimeSpan.FromSeconds(10),
            DefaultTopic = "environment",
            Create = (spec, hw, time) => new Bme280Sensor(spec.Id, new Bme280(hw.OpenI2c(spec)), time),
        });
    }

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

    /// <summary>Known type names, sorted (listed in the error for an unknown type).</summary>
    public static IReadOnlyList<string> Types => ByName.Keys.Order(StringComparer.Ordinal).ToArray();

    public static bool TryGet(string name, out SensorType type) => ByName.TryGetValue(name, out type!);

    /// <summary>Registers a type; used by the catalog itself and by tests.</summary>
    public static void Add(SensorType type) => ByName[type.Name] = type;

    private static VehicleDetectorOptions VehicleOptions(SensorSpec spec) => new()
    {
        OnThresholdGauss = spec.Setting("OnThresholdGauss"),
        OffThresholdGauss = spec.Setting("OffThresholdGauss"),
    };

    // Ranging presence detectors: the mount height seeds the empty-road baseline; the threshold is how much nearer a vehicle is.
    private static Dictionary<string, double> Presence(double mountHeightMeters) => new()
    {
        ["MountHeightMeters"] = mountHeightMeters,
        ["ThresholdMeters"] = 0.5,
        ["ReportSeconds"] = 60,
    };

    private static PresenceDetectorOptions PresenceOptions(SensorSpec spec, int onSamples, int offSamples) => new()
    {
        InitialBaselineMeters = spec.Setting("MountHeightMeters"),
        OnThresholdMeters = spec.Setting("ThresholdMeters"),
        OffThresholdMeters = spec.Setting("ThresholdMeters") / 2,
        OnSamples = onSamples,
        OffSamples = offSamples,
    };

    private static TimeSpan Report(SensorSpec spec) => TimeSpan.FromSeconds(spec.Setting("ReportSeconds"));
}
