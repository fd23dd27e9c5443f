using Edge.Deploy.Tests.TestKit;

namespace Edge.Deploy.Tests;

/// <summary>
/// The .deb from deploy/deb/build.sh: its contents and control data, and its maintainer scripts run for real by dpkg
/// into a temporary root (dpkg --root with --force-script-chrootless, which sets DPKG_ROOT for the scripts).
/// </summary>
[Collection(PublishedGatewayCollection.Name)]
public class DebPackageTests(PublishedGateway published)
{
    [Fact]
    public void The_package_holds_the_program_the_unit_and_the_configuration_as_a_conffile()
    {
        string deb = published.Deb("0.1.0");
        string contents = Tool.Run("dpkg-deb", "--contents", deb).Succeeded().Output;
        Assert.Matches(@"-rwxr-xr-x root/root .* \./opt/edge-gateway/edge-gateway\n", contents);
        Assert.Matches(@"-rw-r--r-- root/root .* \./opt/edge-gateway/libSystem\.IO\.Ports\.Native\.so\n", contents);
        Assert.DoesNotMatch(@"\.(dll|dbg)\n", contents); // Native AOT: no IL, and the debug symbols stay on the build machine
        Assert.Matches(@"-rw-r--r-- root/root .* \./etc/edge-gateway/appsettings\.json\n", contents);
        Assert.Matches(@"-rw-r--r-- root/root .* \./lib/systemd/system/edge-gateway\.service\n", contents);
        Assert.Contains("./usr/share/doc/edge-gateway/copyright", contents);

        string info = Tool.Run("dpkg-deb", "--info", deb).Succeeded().Output;
        Assert.Contains("Package: edge-gateway", info);
        Assert.Contains($"Architecture: {published.DebArch}", info);
        Assert.Contains("Version: 0.1.0", info);
        foreach (string script in new[] { "postinst", "prerm", "postrm", "conffiles", "md5sums" }) Assert.Contains($" {script}", info);
        Assert.Equal("/etc/edge-gateway/appsettings.json", Tool.Run("dpkg-deb", "--info", deb, "conffiles").Succeeded().Output.Trim());
    }

    [Fact]
    public void Maintainer_scripts_install_upgrade_keeping_configuration_and_data_remove_and_purge()
    {
        using var root = new StagingRoot();
        Dpkg(root, "--install", published.Deb("0.1.0"));
        Assert.Equal("install ok installed", Status(root));
        var user = root.User("edge-gateway") ?? throw new Xunit.Sdk.XunitException("postinst created no user");
        uint uid = uint.Parse(user[2]), gid = uint.Parse(user[3]);
        foreach (string g in new[] { "gpio", "i2c" }) Assert.Contains("edge-gateway", root.Group(g)![3].Split(','));
        Assert.Equal((uid, gid, "750"), root.Stat("var/lib/edge-gateway"));
        Assert.Equal((0u, gid, "640"), root.Stat("etc/edge-gateway/appsettings.json"));
        Assert.Equal((0u, 0u, "755"), root.Stat("opt/edge-gateway/edge-gateway"));

        const string Edited = "{ \"Gateway\": { \"Id\": \"pi-at-the-crossing\" } }\n";
        File.WriteAllText(root["etc/edge-gateway/appsettings.json"], Edited);
        File.WriteAllText(root["var/lib/edge-gateway/marker"], "data");

        Dpkg(root, "--install", published.Deb("0.1.1"));
        Assert.Contains("Version: 0.1.1", Tool.Run("dpkg", $"--root={root.Path}", "--status", "edge-gateway").Succeeded().Output);
        Assert.Equal(Edited, File.ReadAllText(root["etc/edge-gateway/appsettings.json"]));
        Assert.Equal("data", File.ReadAllText(root["var/lib/edge-gateway/marker"]));
        Assert.Single(File.ReadLines(root["etc/passwd"]), l => l.StartsWith("edge-gateway:", StringComparison.Ordinal));

        Dpkg(root, "--remove", "edge-gateway");
        Assert.False(File.Exists(root["opt/edge-gateway/edge-gateway"]));
        Assert.Equal(Edited, File.ReadAllText(root["etc/edge-gateway/appsettings.json"]));
        Assert.Equal("data", File.ReadAllText(root["var/lib/edge-gateway/marker"]));

        Dpkg(root, "--purge", "edge-gateway");
        Assert.False(Directory.Exists(root["var/lib/edge-gateway"]));
        Assert.False(Directory.Exists(root["etc/edge-gateway"]));
        Assert.Null(root.User("edge-gateway"));
    }

    [Fact]
    public void Lintian_reports_nothing()
    {
        string lintian = Tool.Require("lintian", "lintian");
        var result = Tool.Run(lintian, ["--tag-display-limit", "0", published.Deb("0.1.0")], TimeSpan.FromMinutes(5));
        var tags = result.Output.Split('\n').Where(l => l.Length > 2 && l[1] == ':' && "EWI".Contains(l[0])).ToList();
        Assert.True(result.ExitCode == 0 && tags.Count == 0, $"lintian exit {result.ExitCode}:\n{result.Output}");
    }

    /// <summary>
    /// dpkg on the staging root. The root has no libc6 or passwd packages registered, hence --force-depends; the
    /// scripts run outside a chroot (the root has no shell) with DPKG_ROOT set; --force-confold keeps edited conffiles
    /// without asking, as an unattended upgrade does.
    /// </summary>
    private static void Dpkg(StagingRoot root, params string[] args) =>
        Tool.Run("dpkg", [$"--root={root.Path}", "--force-script-chrootless", "--force-depends", "--force-confold", "--no-triggers", .. args],
            TimeSpan.FromMinutes(5)).Succeeded();

    private static string Status(StagingRoot root) =>
        Tool.Run("dpkg-query", $"--root={root.Path}", "--show", "--showformat=${Status}", "edge-gateway").Succeeded().Output.Trim();
}
