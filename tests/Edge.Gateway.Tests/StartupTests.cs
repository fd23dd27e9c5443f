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
    public async Task A_broker_port_another_broker_owns_stops_the_start_with_one_line_naming_the_key_and_no_stack_trace()
    {
        // What a laptop with Mosquitto on 1883 meets: the port is taken before the gateway starts.
        using var owner = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        owner.Start();
        int port = ((System.Net.IPEndPoint)owner.LocalEndpoint).Port;
        using var dir = new TempDir();
        using var gateway = new GatewayProcess(Path.Combine(dir.Path, "log"), $"--Broker:Port={port}");
        Assert.Equal(3, await gateway.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains($"Broker:Port: cannot listen on 127.0.0.1:{port}", gateway.Output);
        Assert.Contains("set Broker:Port to a free port, or Broker:Mode to Client", gateway.Output);
        Assert.DoesNotContain("Hosting failed to start", gateway.Output);
        Assert.DoesNotContain("   at ", gateway.Output);
    }

    [Fact]
    public async Task A_configuration_with_mistakes_in_several_sections_reports_every_one_by_key_without_a_stack_trace()
    {
        using var dir = new TempDir();
        using var gateway = new GatewayProcess(Path.Combine(dir.Path, "log"),
            "--Sensors:mag-lane1:Address=0x99", "--Uplink:Port=0", "--Ingest:Burst=0", "--Log:DiskReserveBytes=lots",
            "--Gateway:StatusInterval=00:00:00", "--Simulation:Scenario=nope", "--Hardware:Mode=sometimes", "--Query:QueriesPerSecond=many");
        Assert.Equal(2, await gateway.WaitForExit(TimeSpan.FromSeconds(60)));
        string output = gateway.Output;
        Assert.Contains("edge-gateway: invalid configuration", output);
        // Validation failures of six sections and two values the binder could not convert, all in one report.
        Assert.Contains("Sensors:mag-lane1:Address '0x99' is not a 7-bit I2C device address", output);
        Assert.Contains("Uplink:Port must be between 1 and 65535, not 0", output);
        Assert.Contains("Ingest:Burst: 0 must be at least 1", output);
        Assert.Contains("Log:DiskReserveBytes: 'lots' is neither \"auto\" nor a whole number of bytes", output);
        Assert.Contains("Gateway:StatusInterval must be between 1 s and 1 h", output);
        Assert.Contains("Simulation:Scenario 'nope' is not a known scenario", output);
        Assert.Contains("'Hardware:Mode'", output);
        Assert.Contains("'Query:QueriesPerSecond'", output);
        Assert.DoesNotContain("   at ", output); // no stack frame
        Assert.DoesNotContain("Exception", output);
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
