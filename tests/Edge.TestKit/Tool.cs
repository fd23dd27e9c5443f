using System.Diagnostics;
using System.Text;

namespace Edge.TestKit;

/// <summary>
/// Runs a command-line tool (mosquitto_rr, dpkg-deb, the gateway's query command) with a bounded wait and captures its
/// output, and installs the Debian packages a test needs when they are missing.
/// </summary>
public static class Tool
{
    private static readonly object InstallLock = new();
    private static bool _aptUpdated;

    /// <summary>Runs to completion; stdout and stderr interleaved in <see cref="ToolResult.Output"/>.</summary>
    public static ToolResult Run(string file, IEnumerable<string> args, TimeSpan? timeout = null, IDictionary<string, string>? env = null, string? cwd = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        if (cwd is not null) start.WorkingDirectory = cwd;
        if (env is not null) foreach (var (k, v) in env) start.Environment[k] = v;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string command = $"{file} {string.Join(' ', start.ArgumentList)}";
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {timeout}:\n{output}");
        }
        process.WaitForExit(); // drains the redirected output
        lock (output) return new ToolResult(command, process.ExitCode, output.ToString());
    }

    public static ToolResult Run(string file, params string[] args) => Run(file, (IEnumerable<string>)args);

    /// <summary>Runs to completion with stdout and stderr apart, for tools whose stdout is the answer (JSON).</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>The full path of <paramref name="binary"/> on PATH, or null.</summary>
    public static string? Which(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Select(d => Path.Combine(d, binary)).FirstOrDefault(File.Exists);

    /// <summary>
    /// Makes sure <paramref name="binary"/> exists, installing Debian <paramref name="package"/> with apt-get when the
    /// tests run as root (CI machines start fresh; .ci/run installs them first). Fails with a clear message otherwise.
    /// </summary>
    public static string Require(string binary, string package)
    {
        Install(() => Which(binary) is not null, binary, [package]);
        return Which(binary)!;
    }

    /// <summary>
    /// Makes sure every file in <paramref name="files"/> exists (a daemon in /usr/sbin, libraries, a sysroot: what is
    /// not on every PATH), installing <paramref name="packages"/> as <see cref="Require"/> does when one is missing.
    /// </summary>
    public static void RequireFiles(string[] files, params string[] packages) =>
        Install(() => files.All(File.Exists), string.Join(", ", files), packages);

    /// <summary>The Debian mosquitto-clients package (mosquitto_rr, mosquitto_sub, mosquitto_pub).</summary>
    public static void EnsureMosquittoClients() => RequireFiles(["/usr/bin/mosquitto_rr", "/usr/bin/mosquitto_sub", "/usr/bin/mosquitto_pub"], "mosquitto-clients");

    private static void Install(Func<bool> present, string what, string[] packages)
    {
        lock (InstallLock)
        {
            if (present()) return;
            string names = string.Join(' ', packages);
            if (Environment.UserName == "root" && Which("apt-get") is not null)
            {
                var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
                if (!_aptUpdated) Run("apt-get", ["-qq", "update"], TimeSpan.FromMinutes(5), env);
                _aptUpdated = true;
                var install = Run("apt-get", ["install", "-y", "-qq", .. packages], TimeSpan.FromMinutes(10), env);
                if (present()) return;
                throw new InvalidOperationException($"{what} is missing and apt-get install {names} did not provide it:\n{install.Output}");
            }
            throw new InvalidOperationException($"{what} is missing: install the Debian package(s) {names} (apt-get install {names})");
        }
    }
}
