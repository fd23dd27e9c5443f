using Edge.Sensors.Hardware;

namespace Edge.Sensors.Configuration;

/// <summary>
/// A device type the gateway can sample: how it is wired (I2C addresses it may answer on, or GPIO pin roles), its
/// defaults, the calibration values it accepts, and how to build its driver on a given <see cref="ISensorHardware"/>
/// (the Pi's buses or firmware-sim's register models: the same factory runs on both).
/// </summary>
public sealed record SensorType
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string Kind { get; init; }

    public required SensorBus Bus { get; init; }

    /// <summary>I2C addresses the part can be strapped to; the first is the default.</summary>
    public IReadOnlyList<int> Addresses { get; init; } = [];

    /// <summary>GPIO roles the type needs, e.g. "Trigger" and "Echo".</summary>
    public IReadOnlyList<string> PinRoles { get; init; } = [];

    public required TimeSpan DefaultInterval { get; init; }

    public required string DefaultTopic { get; init; }

    /// <summary>
    /// Its readings are alarms (a fall), produced only when something happened: each is made durable at once instead of
    /// waiting out its topic's flush interval with routine readings, so it reaches consumers within one fdatasync.
    /// </summary>
    public bool Alarm { get; init; }

    /// <summary>
    /// Its read waits on the device for a long time (the HC-SR04 sleeps on its echo for up to 60 ms): it is sampled on a
    /// <see cref="Sampling.SamplingThread"/> of its own, so it cannot delay the board's other sensors, which share one.
    /// </summary>
    public bool BlockingRead { get; init; }

    /// <summary>Accepted calibration names and their defaults.</summary>
    public IReadOnlyDictionary<string, double> Calibration { get; init; } = new Dictionary<string, double>();

    public required Func<SensorSpec, ISensorHardware, TimeProvider, ISensor> Create { get; init; }
}
