using Edge.Deploy.Tests.TestKit;

namespace Edge.Deploy.Tests;

/// <summary>
/// The start-up checks stop the gateway with exit code 3 and a message that says what to fix. The tests run as
/// root, which every permission check lets through, so the permission cases run the gateway as user nobody
/// (setpriv), as systemd runs it as edge-gateway.
/// </summary>
public class StartupCheckTests(ReadableBinaries binaries) : IClassFixture<ReadableBinaries>
{
    private const int StartupCheckFailed = 3;
    private static readonly string[] AsNobody = Nobody.SetprivOptions;

    [Fact]
    public async Task A_data_directory_the_service_user_cannot_write_is_refused()
    {
        Tool.Require("setpriv", "util-linux");
        using var dir = Nobody.OpenDir();
        string logDir = dir["log"]; // in a root-owned 0755 directory: nobody cannot create it
        using var gateway = new GatewayChild([$"--Log:Directory={logDir}"], Nobody.Home(dir), AsNobody, binaries.Location);
        Assert.Equal(StartupCheckFailed, await gateway.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains($"data directory {logDir} is not writable by user nobody: permission denied", gateway.Output);
        Assert.Contains("edge-gateway: start-up check failed", gateway.Output);
    }

    [Fact]
    public async Task A_disk_smaller_than_the_log_budget_is_refused()
    {
        using var dir = new TempDir();
        using var gateway = new GatewayChild([$"--Log:Directory={dir["log"]}", "--Log:DiskBudgetBytes=1000000000000000"]);
        Assert.Equal(StartupCheckFailed, await gateway.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains($"Log:DiskBudgetBytes is 953674316 MiB but {dir["log"]} has only ", gateway.Output);
        Assert.Contains("lower Log:DiskBudgetBytes or free space", gateway.Output);
    }

    [Fact]
    public async Task An_I2C_bus_the_service_user_may_not_open_names_the_missing_group()
    {
        Tool.Require("setpriv", "util-linux");
        using var dir = Nobody.OpenDir();
        // A device directory like a Pi's /dev: the bus belongs to a group nobody is not in (udev gives i2c-N to
        // group i2c, mode 0660); the GPIO chip is open to all, so only the bus fails.
        var (group, gid) = ("dialout", Nobody.GroupId("dialout"));
        string dev = dir["dev"];
        Directory.CreateDirectory(dev);
        File.WriteAllText(Path.Combine(dev, "i2c-1"), "");
        File.WriteAllText(Path.Combine(dev, "gpiochip0"), "");
        File.WriteAllText(Path.Combine(dev, "i2c-3"), ""); // the default VL53L1X's bus, open to all: only bus 1 fails
        File.SetUnixFileMode(Path.Combine(dev, "i2c-3"), (UnixFileMode)0b110_110_110);
        Tool.Run("chown", $"0:{gid}", Path.Combine(dev, "i2c-1")).Succeeded();
        File.SetUnixFileMode(Path.Combine(dev, "i2c-1"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        File.SetUnixFileMode(Path.Combine(dev, "gpiochip0"), (UnixFileMode)0b110_110_110);
        string logDir = dir["log"];
        Directory.CreateDirectory(logDir);
        Tool.Run("chown", "65534", logDir).Succeeded();

        using var gateway = new GatewayChild([$"--Log:Directory={logDir}", "--Hardware:Mode=real", $"--Hardware:DeviceDirectory={dev}"], Nobody.Home(dir), AsNobody, binaries.Location);
        Assert.Equal(StartupCheckFailed, await gateway.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains($"cannot open {dev}/i2c-1: permission denied — the service user (nobody) is not in group {group}", gateway.Output);
        // The default sensors on bus 1 are named (among them the magnetometer and the oximeter).
        var line = gateway.Output.Split('\n').First(l => l.Contains("cannot open", StringComparison.Ordinal) && l.Contains("i2c-1", StringComparison.Ordinal));
        Assert.Contains("needed by", line);
        Assert.Contains("mag-lane1", line);
        Assert.Contains("spo2-bed1", line);
        Assert.DoesNotContain("gpiochip0", gateway.Output.Split('\n').Where(l => l.Contains("cannot open", StringComparison.Ordinal)).FirstOrDefault() ?? "");
    }

    [Fact]
    public async Task A_configured_bus_that_does_not_exist_is_refused()
    {
        using var dir = new TempDir();
        string dev = dir["dev"];
        Directory.CreateDirectory(dev);
        File.WriteAllText(Path.Combine(dev, "i2c-1"), "");
        File.WriteAllText(Path.Combine(dev, "gpiochip0"), "");
        File.WriteAllText(Path.Combine(dev, "i2c-3"), "");
        using var gateway = new GatewayChild([$"--Log:Directory={dir["log"]}", "--Hardware:Mode=real", $"--Hardware:DeviceDirectory={dev}", "--Sensors:mag-lane1:Bus=5"]);
        Assert.Equal(StartupCheckFailed, await gateway.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains($"cannot open {dev}/i2c-5: no such device", gateway.Output);
        Assert.Contains("(needed by mag-lane1)", gateway.Output);
    }
}
