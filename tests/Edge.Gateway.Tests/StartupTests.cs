using Edge.Gateway.Tests.TestKit;

namespace Edge.Gateway.Tests;

/// <summary>The gateway refuses a bad configuration at start, naming the key, with exit code 2 (systemd does not restart-loop on it).</summary>
public class StartupTests
{
    [Theory]
    [InlineData("--Sensors:x1:Type=bmp999", "Sensors:x1:Type 'bmp999' is not a known sensor type; known types: ")]
    [InlineData("--Sensors:mag-lane1:Address=0x99", "Sensors:mag-lane1:Address '0x99' is not a 7-bit I2C device address (0x08-0x77")]
    [InlineData("--Sensors:loop-lane1:Pins:Input=99", "Sensors:loop-lane1:Pins:Input 99 is not a GPIO line on the Raspberry Pi header (0-27, BCM numbering)")]
    [InlineData("--Sensors:mag-lane1:Interval=soon", "Sensors:mag-lane1:Interval must be a duration such as 00:00:00.250, not 'soon'")]
    [InlineData("--Sensors:mag-lane1:Adress=0x0D", "Sensors:mag-lane1:Adress is not a sensor setting; known: Type, Enabled, Bus, Address")]
    [InlineData("--Sensors:spo2-bed1:Topic=vitals", "Sensors:spo2-bed1:Topic 'vitals' is not a topic of the log")]
    [InlineData("--Hardware:Mode=sometimes", "'Hardware:Mode'")]
    [InlineData("--Simulation:Scenario=nope", "Simulation:Scenario 'nope' is not a known scenario; known: default, rush-hour")]
    public async Task A_configuration_error_stops_the_gateway_with_a_message_naming_the_key(string argument, string expected)
    {
        using var dir = new TempDir();
        using var gateway = new GatewayProcess(Path.Combine(dir.Path, "log"), argument);
        int exit = await gateway.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.Equal(2, exit);
        Assert.Contains(expected, gateway.Output);
        Assert.Contains("edge-gateway: invalid configuration", gateway.Output);
    }

    [Fact]
    public async Task Real_hardware_mode_on_a_machine_without_I2C_or_GPIO_is_refused_with_what_is_missing()
    {
        using var dir = new TempDir();
        using var gateway = new GatewayProcess(Path.Combine(dir.Path, "log"), "--Hardware:Mode=real", $"--Hardware:DeviceDirectory={dir.Path}");
        Assert.Equal(2, await gateway.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains($"Hardware:Mode is real but this machine has no I2C bus ({dir.Path}/i2c-*; enable I2C with raspi-config) and no GPIO chip ({dir.Path}/gpiochip*)", gateway.Output);
    }
}
