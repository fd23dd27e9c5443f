using System.Diagnostics;

namespace Edge.Uplink.Tests.TestKit;

/// <summary>A Mosquitto password file made with the package's own mosquitto_passwd (hashes as the broker expects).</summary>
public static class PasswordFile
{
    /// <summary>Adds or replaces <paramref name="user"/> in <paramref name="path"/> (creating the file when missing).</summary>
    public static void Set(string path, string user, string password)
    {
        var start = new ProcessStartInfo("mosquitto_passwd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-b");
        if (!File.Exists(path)) start.ArgumentList.Add("-c");
        foreach (string a in new[] { path, user, password }) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        string error = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"mosquitto_passwd failed ({p.ExitCode}): {error}");
    }
}
