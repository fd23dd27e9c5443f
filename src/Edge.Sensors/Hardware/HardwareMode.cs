namespace Edge.Sensors.Hardware;

/// <summary>Which hardware the gateway's sensors run on ("Hardware:Mode").</summary>
public enum HardwareMode
{
    /// <summary>The real buses when /dev/i2c-* and /dev/gpiochip* exist, firmware-sim otherwise.</summary>
    Auto,

    /// <summary>Always the real buses; a missing device node is an error at start.</summary>
    Real,

    /// <summary>Always firmware-sim's register models, even on a Pi.</summary>
    Simulated,
}
