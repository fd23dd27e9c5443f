using System.Diagnostics;

namespace Edge.Gateway.Tests.TestKit;

/// <summary>Runs a command-line tool (mosquitto_rr, mosquitto_pub, the gateway's query command) and captures its output.</summary>
public static class Tool
{
    private static readonly object InstallLock = new();

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

    /// <summary>The Debian mosquitto-clients package (mosquitto_rr, mosquitto_sub, mosquitto_pub), installed when missing.</summary>
    public static void EnsureMosquittoClients()
    {
        lock (InstallLock)
        {
            if (File.Exists("/usr/bin/mosquitto_rr")) return;
            if (Environment.UserName != "root") throw new InvalidOperationException("mosquitto-clients is not installed and the tests are not root: apt-get install -y mosquitto-clients");
            foreach (var step in new[] { "install -y mosquitto-clients", "update", "install -y mosquitto-clients" })
            {
                using var p = Process.Start(new ProcessStartInfo("apt-get", step) { UseShellExecute = false, Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" } })!;
                p.WaitForExit();
                if (File.Exists("/usr/bin/mosquitto_rr")) return;
            }
            throw new InvalidOperationException("apt-get install -y mosquitto-clients failed");
        }
    }
}
