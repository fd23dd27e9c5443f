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
/// gateway then builds the same drivers it would on a Pi, on these models. Which model stands in for which sensor
/// type is each device folder's <see cref="DeviceModel"/>, found in <see cref="DeviceModels"/>.
/// </summary>
public sealed class SimulatedBoard : ISensorHardware
{
    private readonly TimeProvider _time;
    private readonly ScenarioWorld _world;
    // Disposed by _gpio: a GpioController owns the driver it is given and disposes it (dotnet/iot GpioController.Dispose).
#pragma warning disable CA2213
    private readonly SimulatedGpioDriver _driver = new();
#pragma warning restore CA2213
    private readonly GpioController _gpio;
    private readonly GpioSignalPump _pump;
    private readonly List<IDisposable> _owned = [];

    public SimulatedBoard(TimeProvider time, ScenarioWorld world)
    {
        _time = time;
        _world = world;
        _gpio = new GpioController(_driver);
        _pump = new GpioSignalPump(time, _driver, TimeSpan.FromMilliseconds(5));
    }

    public string Description => $"firmware-sim register models, scenario '{_world.Scenario.Name}' (seed {_world.Seed})";

    public bool IsSimulated => true;

    public ScenarioWorld World => _world;

    /// <summary>The simulated GPIO driver, for tests that drive or observe pins.</summary>
    public SimulatedGpioDriver GpioDriver => _driver;

    public I2cDevice OpenI2c(SensorSpec sensor)
    {
        if (!DeviceModels.TryGet(sensor.Type.Name, out var device) || device.I2c is null)
            throw new NotSupportedException($"firmware-sim has no register model for a {sensor.Type.Name} (sensor {sensor.Id})");
        var context = Context(sensor);
        var model = device.I2c(context);
        model.DisconnectedWhen = () => context.Disconnected(_time.GetUtcNow());
        return model;
    }

    public GpioController OpenGpio(SensorSpec sensor)
    {
        if (!DeviceModels.TryGet(sensor.Type.Name, out var device) || device.Gpio is null)
            throw new NotSupportedException($"firmware-sim has no GPIO model for a {sensor.Type.Name} (sensor {sensor.Id})");
        device.Gpio(Context(sensor));
        return _gpio;
    }

    private DeviceContext Context(SensorSpec sensor) => new(_time, _world, sensor, _driver, _pump, _owned.Add);

    public void Dispose()
    {
        _pump.Dispose();
        foreach (var owned in _owned) owned.Dispose();
        _gpio.Dispose();
    }
}
