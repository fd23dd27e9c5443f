using System.Device.Gpio;
using Edge.FirmwareSim.Board;
using Edge.FirmwareSim.Gpio;
using Edge.FirmwareSim.Scenarios;
using Edge.Sensors.Configuration;

namespace Edge.FirmwareSim.Devices;

/// <summary>
/// What a <see cref="DeviceModel"/> builds from: the sensor it stands in for, the board's clock and GPIO, and the
/// scenario seen from the sensor's site with the scenario's faults for that sensor (input time shifts, noise bursts,
/// disconnects). Made by <see cref="SimulatedBoard"/> for each sensor it opens.
/// </summary>
public sealed class DeviceContext
{
    private readonly GpioSignalPump _pump;
    private readonly Action<IDisposable> _own;

    internal DeviceContext(TimeProvider time, ScenarioWorld world, SensorSpec sensor, SimulatedGpioDriver gpio, GpioSignalPump pump, Action<IDisposable> own)
    {
        Time = time;
        World = world;
        Sensor = sensor;
        Gpio = gpio;
        _pump = pump;
        _own = own;
    }

    /// <summary>The board's clock (the gateway's, or a virtual one).</summary>
    public TimeProvider Time { get; }

    public ScenarioWorld World { get; }

    /// <summary>The validated sensor declaration: bus, address, pins, site, calibration.</summary>
    public SensorSpec Sensor { get; }

    /// <summary>The board's simulated GPIO driver.</summary>
    public SimulatedGpioDriver Gpio { get; }

    /// <summary>The scenario instant the sensor's input shows at <paramref name="t"/> (a stuck or lagging input fault shifts it).</summary>
    public DateTimeOffset Input(DateTimeOffset t) => World.Faults.InputTime(Sensor.Id, t);

    /// <summary>The scenario's noise burst on this sensor at <paramref name="t"/> (zero outside a burst), one channel per axis.</summary>
    public double Noise(DateTimeOffset t, double sigma, int channel = 0) => World.Faults.BurstNoise(Sensor.Id, t, sigma, channel);

    /// <summary>True while the scenario has this sensor unplugged.</summary>
    public bool Disconnected(DateTimeOffset t) => World.Faults.Active(Sensor.Id, FaultKind.Disconnect, t);

    /// <summary>Sets <paramref name="pin"/> from <paramref name="signal"/> as (virtual) time goes on.</summary>
    public void Attach(int pin, Func<DateTimeOffset, PinValue> signal) => _pump.Attach(pin, signal);

    /// <summary>Hands the board something to dispose with it (a signal generator holding pin callbacks).</summary>
    public void Own(IDisposable resource) => _own(resource);
}
