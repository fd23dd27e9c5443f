using Edge.Deploy.Tests.TestKit;

namespace Edge.Deploy.Tests;

/// <summary>deploy/install.sh and uninstall.sh into a temporary root, from one real self-contained publish.</summary>
[Collection(PublishedGatewayCollection.Name)]
public class InstallScriptTests(PublishedGateway published)
{
    private static string Install => Path.Combine(Repo.Deploy, "install.sh");

    private static string Uninstall => Path.Combine(Repo.Deploy, "uninstall.sh");

    [Fact]
    public async Task Install_lays_out_program_configuration_data_unit_and_user_and_the_installed_program_runs()
    {
        using var root = new StagingRoot();
        string output = Tool.Run(Install, "--root", root.Path, "--rid", published.Rid, "--from", published.Location).Succeeded().Output;
        Assert.Contains("not started: not the live root", output);

        var user = root.User("edge-gateway") ?? throw new Xunit.Sdk.XunitException("no edge-gateway user:\n" + output);
        Assert.Equal(["/var/lib/edge-gateway", "/usr/sbin/nologin"], user[5..7]);
        Assert.True(uint.Parse(user[2]) < 1000, $"uid {user[2]} is not a system uid");
        uint uid = uint.Parse(user[2]), gid = uint.Parse(user[3]);
        Assert.Equal(gid, uint.Parse(root.Group("edge-gateway")![2]));
        foreach (string g in new[] { "gpio", "i2c" }) Assert.Contains("edge-gateway", root.Group(g)![3].Split(','));

        Assert.Equal((0u, 0u, "755"), root.Stat("opt/edge-gateway/edge-gateway"));
        Assert.Equal((0u, 0u, "644"), root.Stat("opt/edge-gateway/libSystem.IO.Ports.Native.so"));
        Assert.Equal((0u, 0u, "644"), root.Stat("opt/edge-gateway/appsettings.json"));
        Assert.Equal((0u, gid, "640"), root.Stat("etc/edge-gateway/appsettings.json"));
        Assert.Equal((0u, 0u, "644"), root.Stat("etc/edge-gateway/appsettings.json.dist"));
        Assert.Equal((uid, gid, "750"), root.Stat("var/lib/edge-gateway"));
        Assert.Equal((0u, 0u, "644"), root.Stat("lib/systemd/system/edge-gateway.service"));
        Assert.Equal(File.ReadAllText(Repo.Unit), File.ReadAllText(root["lib/systemd/system/edge-gateway.service"]));
        Assert.True(File.Exists(root["usr/share/doc/edge-gateway/README.md"]));

        // The installed program runs with the environment the unit gives it, reading /etc/edge-gateway (Gateway:Id
        // edge-pi there overrides the shipped edge-dev) and keeping its log in $STATE_DIRECTORY/log.
        using var state = new TempDir();
        using var notify = new NotifySocket(state["notify.sock"]);
        var env = new Dictionary<string, string>
        {
            ["CONFIGURATION_DIRECTORY"] = root["etc/edge-gateway"],
            ["STATE_DIRECTORY"] = state.Path,
            ["NOTIFY_SOCKET"] = notify.Path,
            ["EDGE_Gateway__StatusInterval"] = "00:00:01",
            ["EDGE_Hardware__Mode"] = "simulated",
        };
        using var gateway = GatewayChild.Installed(root["opt/edge-gateway/edge-gateway"], env);
        await notify.WaitFor("READY=1", TimeSpan.FromSeconds(60));
        await gateway.WaitForLine(l => l.Contains("edge-pi: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        gateway.Terminate();
        Assert.Equal(0, await gateway.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.True(Directory.Exists(state["log"]), "no log in $STATE_DIRECTORY/log");
    }

    [Fact]
    public void A_second_install_is_an_upgrade_that_keeps_the_edited_configuration_and_the_data()
    {
        using var root = new StagingRoot();
        Tool.Run(Install, "--root", root.Path, "--rid", published.Rid, "--from", published.Location).Succeeded();
        const string Edited = "{ \"Gateway\": { \"Id\": \"pi-at-the-crossing\" } }\n";
        File.WriteAllText(root["etc/edge-gateway/appsettings.json"], Edited);
        Directory.CreateDirectory(root["var/lib/edge-gateway/log/traffic-0"]);
        File.WriteAllText(root["var/lib/edge-gateway/log/traffic-0/00000000000000000000.log"], "readings");
        File.WriteAllText(root["opt/edge-gateway/left-over.dll"], "from an older version");

        string output = Tool.Run(Install, "--root", root.Path, "--rid", published.Rid, "--from", published.Location).Succeeded().Output;

        Assert.Contains("kept", output);
        Assert.Equal(Edited, File.ReadAllText(root["etc/edge-gateway/appsettings.json"]));
        Assert.Equal(File.ReadAllText(Path.Combine(Repo.Deploy, "appsettings.json")), File.ReadAllText(root["etc/edge-gateway/appsettings.json.dist"]));
        Assert.Equal("readings", File.ReadAllText(root["var/lib/edge-gateway/log/traffic-0/00000000000000000000.log"]));
        Assert.False(File.Exists(root["opt/edge-gateway/left-over.dll"]), "the program directory is replaced whole");
        Assert.True(File.Exists(root["opt/edge-gateway/edge-gateway"]));
        Assert.Single(File.ReadLines(root["etc/passwd"]), l => l.StartsWith("edge-gateway:", StringComparison.Ordinal));
    }

    [Fact]
    public void Uninstall_keeps_configuration_and_data_and_purge_removes_them_and_the_user()
    {
        using var root = new StagingRoot();
        Tool.Run(Install, "--root", root.Path, "--rid", published.Rid, "--from", published.Location).Succeeded();
        File.WriteAllText(root["var/lib/edge-gateway/marker"], "data");

        Tool.Run(Uninstall, "--root", root.Path).Succeeded();
        Assert.False(Directory.Exists(root["opt/edge-gateway"]));
        Assert.False(File.Exists(root["lib/systemd/system/edge-gateway.service"]));
        Assert.Equal("data", File.ReadAllText(root["var/lib/edge-gateway/marker"]));
        Assert.True(File.Exists(root["etc/edge-gateway/appsettings.json"]));
        Assert.NotNull(root.User("edge-gateway"));

        Tool.Run(Uninstall, "--root", root.Path, "--purge").Succeeded();
        Assert.False(Directory.Exists(root["var/lib/edge-gateway"]));
        Assert.False(Directory.Exists(root["etc/edge-gateway"]));
        Assert.Null(root.User("edge-gateway"));
    }

    [Fact]
    public void Install_refuses_a_tree_that_is_not_a_published_gateway()
    {
        using var root = new StagingRoot();
        using var empty = new TempDir();
        var result = Tool.Run(Install, "--root", root.Path, "--from", empty.Path);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("has no edge-gateway executable", result.Output);
        Assert.False(Directory.Exists(root["opt/edge-gateway"]));
    }

    [Fact]
    public void Install_refuses_a_tree_published_for_another_architecture()
    {
        using var root = new StagingRoot();
        string other = published.Rid == "linux-x64" ? "linux-arm64" : "linux-x64";
        var result = Tool.Run(Install, "--root", root.Path, "--rid", other, "--from", published.Location);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"is not a {other} executable", result.Output);
        Assert.False(Directory.Exists(root["opt/edge-gateway"]));
    }
}
