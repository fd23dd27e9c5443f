using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Edge.Benchmarks;

/// <summary>
/// The independent client of the mqttjs-* benchmarks: mqtt.js (npm, the version pinned in mqttjs/package-lock.json)
/// with its default options, run by node from the build output (mqttjs/driver.mjs). <c>npm ci</c> installs it there on
/// first use (bin/ is ignored by git); node 18+ and npm must be on PATH.
/// </summary>
internal static class MqttJs
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "mqttjs");

    public static void EnsureInstalled()
    {
        if (Directory.Exists(Path.Combine(Dir, "node_modules", "mqtt"))) return;
        using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = Dir, UseShellExecute = false, RedirectStandardOutput = true })!;
        npm.StandardOutput.ReadToEnd();
        npm.WaitForExit();
        if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci in {Dir} failed with exit code {npm.ExitCode}");
    }

    /// <summary>Starts the driver (for the responder, which runs until killed); its first output line is returned once written.</summary>
    public static (Process Process, string FirstLine) Start(params string[] args)
    {
        var p = Process.Start(new ProcessStartInfo("node", ["driver.mjs", .. args]) { WorkingDirectory = Dir, UseShellExecute = false, RedirectStandardOutput = true })!;
        string line = p.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"mqtt.js driver {string.Join(' ', args)} ended without output (exit {p.ExitCodeOrNone()})");
        return (p, line);
    }

    /// <summary>Runs the driver to its end and returns its JSON result line.</summary>
    public static async Task<JsonNode> RunAsync(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("node", ["driver.mjs", .. args]) { WorkingDirectory = Dir, UseShellExecute = false, RedirectStandardOutput = true })!;
        string output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"mqtt.js driver {string.Join(' ', args)} failed with exit code {p.ExitCode}");
        return JsonNode.Parse(output.Trim().Split('\n')[^1])!;
    }

    public static void Stop(Process p)
    {
        if (!p.HasExited)
        {
            p.Kill();
            p.WaitForExit();
        }
        p.Dispose();
    }

    private static string ExitCodeOrNone(this Process p) => p.HasExited ? p.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
}
