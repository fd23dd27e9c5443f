namespace Edge.Sensors.Hardware;

/// <summary>
/// Finds the Linux device nodes of the I2C buses (i2c-dev, /dev/i2c-N) and GPIO chips (gpiod character devices,
/// /dev/gpiochipN) and resolves <see cref="HardwareMode.Auto"/>. The device directory is injectable for tests.
/// </summary>
public sealed class HardwareProbe(string deviceDirectory = "/dev")
{
    public IReadOnlyList<string> I2cBuses => Find("i2c-*");

    public IReadOnlyList<string> GpioChips => Find("gpiochip*");

    /// <summary>True when this machine should use its real buses under <paramref name="mode"/>.</summary>
    public bool UseRealHardware(HardwareMode mode) => mode switch
    {
        HardwareMode.Real => true,
        HardwareMode.Simulated => false,
        _ => I2cBuses.Count > 0 && GpioChips.Count > 0,
    };

    /// <summary>Why <see cref="UseRealHardware"/> decided as it did, for the start-up log line.</summary>
    public string Explain(HardwareMode mode)
    {
        string found = $"found {Describe(I2cBuses, "no /dev/i2c-*")} and {Describe(GpioChips, "no /dev/gpiochip*")}";
        return mode switch
        {
            HardwareMode.Real => $"Hardware:Mode is real ({found})",
            HardwareMode.Simulated => "Hardware:Mode is simulated",
            _ => UseRealHardware(mode) ? $"Hardware:Mode is auto and {found}" : $"Hardware:Mode is auto and {found}: using firmware-sim",
        };
    }

    private static string Describe(IReadOnlyList<string> nodes, string none) => nodes.Count == 0 ? none : string.Join(", ", nodes);

    private string[] Find(string pattern) =>
        Directory.Exists(deviceDirectory) ? Directory.GetFiles(deviceDirectory, pattern).Order(StringComparer.Ordinal).ToArray() : [];
}
