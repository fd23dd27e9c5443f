using System.Globalization;
using System.Text.RegularExpressions;
using Edge.Deploy.Tests.TestKit;

namespace Edge.Deploy.Tests;

/// <summary>deploy/systemd/edge-gateway.service is valid and meets the hardening goal (systemd-analyze security: exposure at most 2.0).</summary>
public partial class UnitFileTests
{
    private const double ExposureGoal = 2.0;

    [Fact]
    public void Systemd_analyze_verify_finds_nothing_to_report()
    {
        string analyze = Tool.Require("systemd-analyze", "systemd");
        // verify checks that ExecStart exists and that every dependency resolves, so the unit is verified inside a
        // root laid out as after installation: the system's own units, the unit, and a stand-in executable.
        using var root = new TempDir();
        Directory.CreateDirectory(root["lib/systemd"]);
        Tool.Run("cp", "-a", "/lib/systemd/system", root["lib/systemd/"]).Succeeded(); // -a keeps the .wants symlinks
        File.Copy(Repo.Unit, root["lib/systemd/system/edge-gateway.service"], overwrite: true);
        Directory.CreateDirectory(root["opt/edge-gateway"]);
        File.WriteAllText(root["opt/edge-gateway/edge-gateway"], "#!/bin/sh\n");
        File.SetUnixFileMode(root["opt/edge-gateway/edge-gateway"], (UnixFileMode)0b111_101_101);

        var result = Tool.Run(analyze, "verify", $"--root={root.Path}", "edge-gateway.service");
        Assert.True(result.ExitCode == 0 && result.Output.Trim().Length == 0, $"systemd-analyze verify: exit {result.ExitCode}\n{result.Output}");
    }

    [Fact]
    public void Security_exposure_is_at_most_the_goal()
    {
        string analyze = Tool.Require("systemd-analyze", "systemd");
        var result = Tool.Run(analyze, "security", "--offline=true", "--no-pager", Repo.Unit).Succeeded();
        var match = Exposure().Match(result.Output);
        Assert.True(match.Success, $"no 'Overall exposure level' line in:\n{result.Output}");
        double exposure = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= ExposureGoal, $"exposure {exposure} > {ExposureGoal}:\n{result.Output}");
    }

    [Fact]
    public void The_unit_declares_notify_startup_restart_a_dedicated_user_the_device_allow_list_and_the_sandbox()
    {
        string[] lines = File.ReadAllLines(Repo.Unit);
        foreach (string required in new[]
        {
            "Type=notify", "Restart=on-failure", "StateDirectory=edge-gateway", "ConfigurationDirectory=edge-gateway", "User=edge-gateway",
            "SupplementaryGroups=gpio i2c", "DevicePolicy=closed", "DeviceAllow=char-i2c rw", "DeviceAllow=char-gpiochip rw", "ProtectSystem=strict",
            "ProtectHome=yes", "NoNewPrivileges=yes", "PrivateTmp=yes", "CapabilityBoundingSet=", "SystemCallFilter=@system-service",
            "MemoryDenyWriteExecute=no", "ExecStart=/opt/edge-gateway/edge-gateway",
        })
            Assert.Contains(required, lines);
        Assert.Contains(lines, l => WatchdogSec().IsMatch(l));
        Assert.Contains(lines, l => l.StartsWith("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+(?:\.\d+)?)")]
    private static partial Regex Exposure();

    [GeneratedRegex(@"^WatchdogSec=\d+s?$")]
    private static partial Regex WatchdogSec();
}
