using Edge.Deploy.Tests.TestKit;

namespace Edge.Deploy.Tests;

/// <summary>
/// $CONFIGURATION_DIRECTORY/appsettings.json (/etc/edge-gateway under the unit) sits between the shipped defaults
/// and the environment: it overrides the defaults, EDGE_* overrides it, and its errors name the key like any other.
/// </summary>
public class MachineConfigurationTests
{
    [Fact]
    public async Task The_machine_file_overrides_the_shipped_defaults()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["appsettings.json"], """{ "Gateway": { "Id": "from-etc", "StatusInterval": "00:00:01" }, "Hardware": { "Mode": "simulated" } }""");
        using var gateway = new GatewayChild([$"--Log:Directory={dir["log"]}"], new Dictionary<string, string> { ["CONFIGURATION_DIRECTORY"] = dir.Path });
        await gateway.WaitForLine(l => l.Contains("from-etc: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        gateway.Terminate();
        Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task An_EDGE_environment_variable_overrides_the_machine_file()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["appsettings.json"], """{ "Gateway": { "Id": "from-etc", "StatusInterval": "00:00:01" }, "Hardware": { "Mode": "simulated" } }""");
        var env = new Dictionary<string, string> { ["CONFIGURATION_DIRECTORY"] = dir.Path, ["EDGE_Gateway__Id"] = "from-env" };
        using var gateway = new GatewayChild([$"--Log:Directory={dir["log"]}"], env);
        await gateway.WaitForLine(l => l.Contains("from-env: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        gateway.Terminate();
        Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("from-etc: ", gateway.Output);
    }

    [Fact]
    public async Task An_error_in_the_machine_file_names_the_key_and_exits_2()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["appsettings.json"], """{ "Sensors": { "mag-lane1": { "Adress": "0x0D" } } }""");
        using var gateway = new GatewayChild([$"--Log:Directory={dir["log"]}"], new Dictionary<string, string> { ["CONFIGURATION_DIRECTORY"] = dir.Path });
        Assert.Equal(2, await gateway.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("Sensors:mag-lane1:Adress is not a sensor setting", gateway.Output);
    }
}
