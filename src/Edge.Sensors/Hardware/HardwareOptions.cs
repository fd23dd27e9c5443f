namespace Edge.Sensors.Hardware;

/// <summary>The "Hardware" section.</summary>
public sealed class HardwareOptions
{
    public const string Section = "Hardware";

    /// <summary>auto (real buses when /dev/i2c-* and /dev/gpiochip* exist), real, or simulated.</summary>
    public HardwareMode Mode { get; set; } = HardwareMode.Auto;

    /// <summary>Where the device nodes are looked for (tests point it elsewhere).</summary>
    public string DeviceDirectory { get; set; } = "/dev";
}
