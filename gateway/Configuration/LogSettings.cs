using Edge.Log;

namespace Edge.Gateway.Configuration;

/// <summary>The "Log" configuration section.</summary>
public sealed class LogSettings
{
    public const string Section = "Log";

    /// <summary>Empty means $STATE_DIRECTORY/log under systemd, else ~/.local/share/edge-gateway/log.</summary>
    public string Directory { get; set; } = "";

    public long DiskBudgetBytes { get; set; } = 1L << 30;

    public Dictionary<string, TopicSettings> Topics { get; set; } = [];

    public string ResolveDirectory()
    {
        if (!string.IsNullOrWhiteSpace(Directory)) return Path.GetFullPath(Directory);
        string? state = Environment.GetEnvironmentVariable("STATE_DIRECTORY"); // set by systemd's StateDirectory=
        string root = !string.IsNullOrEmpty(state) ? state.Split(':')[0]
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "edge-gateway");
        return Path.Combine(root, "log");
    }

    public LogOptions ToLogOptions() => new() { Directory = ResolveDirectory(), DiskBudgetBytes = DiskBudgetBytes };
}
