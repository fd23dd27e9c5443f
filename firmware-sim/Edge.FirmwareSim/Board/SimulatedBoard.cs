using System.Device.Gpio;
using System.Device.I2c;
using Edge.FirmwareSim.Devices;
using Edge.FirmwareSim.Gpio;
using Edge.FirmwareSim.Scenarios;
using Edge.Sensors.Configuration;
using Edge.Sensors.Hardware;

namespace Edge.FirmwareSim.Board;

/// <summary>
/// firmware-sim as the gateway's hardware: for each configured sensor it builds the register model of its part at
/// its bus and address (or attaches a signal to its GPIO pins) and connects it to the scenario's physics at the
/// sensor's site — the lane's vehicles, the patient's body, the weather — with the scenario's faults applied. The
/// gateway then builds the same drivers it would on a Pi, on these models.
/// </summary>
public sealed class SimulatedBoard : ISensorHardware
{
    private readonly ScenarioWorld _world;
    private readonly TimeProvider _time;
    private readonly SimulatedGpioDriver _driver = new();
    private readonly GpioController _gpio;
    private readonly GpioSignalPump _pump;
    private readonly List<UltrasonicEcho> _echoes = [];

    public SimulatedBoard(ScenarioWorld world, TimeProvider time)
    {
        _world = world;
        _time = time;
        _gpio = new GpioController(_driver);
        _pump = new GpioSignalPump(_driver, time, TimeSpan.FromMilliseconds(5));
    }

    public string Description => $"firmware-sim register models, scenario '{_world.Scenario.Name}' (seed {_world.Seed})";

    public bool IsSimulated => true;

    public ScenarioWorld World => _world;

    /// <summary>The simulated GPIO driver, for tests that drive or observe pins.</summary>
    public SimulatedGpioDriver GpioDriver => _driver;

    public I2cDevice OpenI2c(SensorSpec sensor)
    {
        SimulatedI2cDevice model = sensor.Type.Name switch
        {
            "qmc5883l" => new Qmc5883lSimulator(_time, sensor.Bus, sensor.Address) { FieldModel = Field(sensor) },
            "hmc5883l" => new Hmc5883lSimulator(sensor.Bus, sensor.Address, _time) { FieldModel = Field(sensor) },
            "max30102" => new Max30102Simulator(_time, _world.Seed, sensor.Bus) { SubjectModel = Subject(sensor) },
            "vl53l0x" => new Vl53l0xSimulator(_time, sensor.Bus, sensor.Address) { DistanceModel = RangeMillimeters(sensor) },
            "vl53l1x" => new Vl53l1xSimulator(_time, sensor.Bus, sensor.Address) { DistanceModel = RangeMillimeters(sensor) },
            "mlx90614" => new Mlx90614Simulator(_time, sensor.Bus, sensor.Address) { TemperatureModel = Forehead(sensor), TargetEmissivity = 0.98 },
            "mpu6050" => new Mpu6050Simulator(_time, sensor.Bus, sensor.Address) { AccelerationModel = Motion(sensor), TemperatureModel = t => _world.Weather.IndoorCelsius(t) + 8 },
            "ads1115-pulse" => PulseInput(sensor),
            "bme280" => new Bme280Simulator(_time, sensor.Bus, sensor.Address) { EnvironmentModel = Air(sensor) },
            _ => throw new NotSupportedException($"firmware-sim has no register model for a {sensor.Type.Name} (sensor {sensor.Id})"),
        };
        model.DisconnectedWhen = () => _world.Faults.Active(sensor.Id, FaultKind.Disconnect, _time.GetUtcNow());
        return model;
    }

    public GpioController OpenGpio(SensorSpec sensor)
    {
        switch (sensor.Type.Name)
        {
            case "loop":
                // The detector card's output is an open collector: pulled up, low while a vehicle is over the loop.
                var lane = _world.Lane(sensor.Site);
                _pump.Attach(sensor.Pin("Input"), t => lane.Occupied(Input(sensor, t)) ? PinValue.Low : PinValue.High);
                break;
            case "hcsr04":
            {
                // The echo is timed in real time at each read of the pin; the target distance comes from the scenario at the ping.
                var road = _world.Lane(sensor.Site);
                double mount = sensor.Setting("MountHeightMeters");
                _echoes.Add(new UltrasonicEcho(_driver, sensor.Pin("Trigger"), sensor.Pin("Echo"), () => road.DistanceMeters(Input(sensor, _time.GetUtcNow()), mount))
                {
                    DisconnectedWhen = () => _world.Faults.Active(sensor.Id, FaultKind.Disconnect, _time.GetUtcNow()),
                });
                break;
            }
            case "hcsr501":
            {
                // Retrigger mode: high while vehicles move past and 2.5 s after; unpowered reads low.
                var road = _world.Lane(sensor.Site);
                var pir = new PirOutput(t => road.Motion(Input(sensor, t))) { DisconnectedWhen = t => _world.Faults.Active(sensor.Id, FaultKind.Disconnect, t) };
                _pump.Attach(sensor.Pin("Output"), pir.At);
                break;
            }
            default:
                throw new NotSupportedException($"firmware-sim has no GPIO model for a {sensor.Type.Name} (sensor {sensor.Id})");
        }
        return _gpio;
    }

    private DateTimeOffset Input(SensorSpec sensor, DateTimeOffset t) => _world.Faults.InputTime(sensor.Id, t);

    private Func<DateTimeOffset, (double, double, double)> Field(SensorSpec sensor)
    {
        var lane = _world.Lane(sensor.Site);
        var faults = _world.Faults;
        return t =>
        {
            var (x, y, z) = lane.FieldAt(Input(sensor, t));
            return (x + faults.BurstNoise(sensor.Id, t, 0.2, 0), y + faults.BurstNoise(sensor.Id, t, 0.2, 1), z + faults.BurstNoise(sensor.Id, t, 0.2, 2));
        };
    }

    // Range seen by a ranging sensor looking down from its mount height, in mm, with the scenario's noise bursts.
    private Func<DateTimeOffset, double> RangeMillimeters(SensorSpec sensor)
    {
        var lane = _world.Lane(sensor.Site);
        double mount = sensor.Setting("MountHeightMeters");
        return t => 1000 * lane.DistanceMeters(Input(sensor, t), mount) + _world.Faults.BurstNoise(sensor.Id, t, 50);
    }

    private Func<DateTimeOffset, (double, double)> Subject(SensorSpec sensor)
    {
        var patient = _world.Patient(sensor.Site);
        return t => (patient.HeartRate(Input(sensor, t)), patient.SpO2(Input(sensor, t)));
    }

    // A forehead in the room: skin sits between core and room, Ts = (Tc + k·Ta) / (1 + k) with k = 0.19 (the
    // arterial heat-balance model the mlx90614 sensor inverts), seen at skin emissivity.
    private Func<DateTimeOffset, (double, double)> Forehead(SensorSpec sensor)
    {
        var patient = _world.Patient(sensor.Site);
        var weather = _world.Weather;
        return t =>
        {
            var at = Input(sensor, t);
            double room = weather.IndoorCelsius(at);
            return ((patient.BodyTemperature(at) + 0.19 * room) / 1.19 + _world.Faults.BurstNoise(sensor.Id, t, 0.5), room);
        };
    }

    private Func<DateTimeOffset, (double, double, double)> Motion(SensorSpec sensor)
    {
        var patient = _world.Patient(sensor.Site);
        var faults = _world.Faults;
        return t =>
        {
            var (x, y, z) = patient.Acceleration(Input(sensor, t));
            return (x + faults.BurstNoise(sensor.Id, t, 0.3, 0), y + faults.BurstNoise(sensor.Id, t, 0.3, 1), z + faults.BurstNoise(sensor.Id, t, 0.3, 2));
        };
    }

    // A PulseSensor module on the configured ADS1115 input, beating at the patient's heart rate.
    private Ads1115Simulator PulseInput(SensorSpec sensor)
    {
        var patient = _world.Patient(sensor.Site);
        var module = new PulseSensorModule(t => patient.HeartRate(Input(sensor, t)), _world.Seed);
        var adc = new Ads1115Simulator(_time, sensor.Bus, sensor.Address);
        adc.InputModels[Math.Clamp((int)sensor.Setting("Channel"), 0, 3)] = t => module.Volts(t) + _world.Faults.BurstNoise(sensor.Id, t, 0.2);
        return adc;
    }

    private Func<DateTimeOffset, (double, double, double)> Air(SensorSpec sensor)
    {
        var weather = _world.Weather;
        return t =>
        {
            var at = Input(sensor, t);
            return (weather.TemperatureCelsius(at) + _world.Faults.BurstNoise(sensor.Id, t, 0.5), weather.PressurePascals(at), weather.HumidityPercent(at));
        };
    }

    public void Dispose()
    {
        _pump.Dispose();
        foreach (var echo in _echoes) echo.Dispose();
        _gpio.Dispose();
    }
}
