using System.Diagnostics;

namespace Edge.Web.Tests.TestKit;

/// <summary>Prometheus's own parser and linter (<c>promtool check metrics</c>, Debian package prometheus), installed when missing.</summary>
public static class Promtool
{
    private const string Path = "/usr/bin/promtool";

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="exposition"/>: its exit code and what it said.</summary>
    public static async Task<(int Exit, string Output)> CheckMetrics(string exposition)
    {
        Tool.RequireFiles([Path], "prometheus");
        var start = new ProcessStartInfo(Path) { ArgumentList = { "check", "metrics" }, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(exposition);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }
}
