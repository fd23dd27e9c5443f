using Edge.Sensors.Hardware;

namespace Edge.Sensors.Tests;

public sealed class HardwareProbeTests : IDisposable
{
    private readonly string _dev = Directory.CreateTempSubdirectory("edge-dev-").FullName;

    [Fact]
    public void Auto_uses_the_real_buses_only_when_both_i2c_and_gpio_device_nodes_exist()
    {
        var probe = new HardwareProbe(_dev);
        Assert.False(probe.UseRealHardware(HardwareMode.Auto));
        Assert.Contains("no /dev/i2c-* and no /dev/gpiochip*: using firmware-sim", probe.Explain(HardwareMode.Auto));
        File.WriteAllText(Path.Combine(_dev, "i2c-1"), "");
        Assert.False(probe.UseRealHardware(HardwareMode.Auto));
        File.WriteAllText(Path.Combine(_dev, "gpiochip0"), "");
        Assert.True(probe.UseRealHardware(HardwareMode.Auto));
        Assert.Equal([Path.Combine(_dev, "i2c-1")], probe.I2cBuses);
        Assert.Equal([Path.Combine(_dev, "gpiochip0")], probe.GpioChips);
        Assert.False(probe.UseRealHardware(HardwareMode.Simulated));
    }

    [Fact]
    public void Real_and_simulated_force_their_choice()
    {
        var probe = new HardwareProbe(_dev);
        Assert.True(probe.UseRealHardware(HardwareMode.Real));
        File.WriteAllText(Path.Combine(_dev, "i2c-1"), "");
        File.WriteAllText(Path.Combine(_dev, "gpiochip0"), "");
        Assert.False(probe.UseRealHardware(HardwareMode.Simulated));
    }

    public void Dispose() => Directory.Delete(_dev, true);
}
