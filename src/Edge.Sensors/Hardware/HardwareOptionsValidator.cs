using Microsoft.Extensions.Options;

namespace Edge.Sensors.Hardware;

/// <summary>"Hardware:Mode" real needs the buses: on a machine without an I2C bus or a GPIO chip it is a configuration error that says what is missing.</summary>
public sealed class HardwareOptionsValidator : IValidateOptions<HardwareOptions>
{
    public ValidateOptionsResult Validate(string? name, HardwareOptions options)
    {
        if (options.Mode != HardwareMode.Real) return ValidateOptionsResult.Success;
        var probe = new HardwareProbe(options.DeviceDirectory);
        var missing = new List<string>();
        if (probe.I2cBuses.Count == 0) missing.Add($"no I2C bus ({options.DeviceDirectory}/i2c-*; enable I2C with raspi-config)");
        if (probe.GpioChips.Count == 0) missing.Add($"no GPIO chip ({options.DeviceDirectory}/gpiochip*)");
        return missing.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail($"Hardware:Mode is real but this machine has {string.Join(" and ", missing)}");
    }
}
