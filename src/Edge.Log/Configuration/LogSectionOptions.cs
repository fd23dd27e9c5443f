namespace Edge.Log.Configuration;

/// <summary>
/// The "Log" configuration section as operators write it (appsettings.json, EDGE_Log__*, --Log:*): the log's own
/// configuration schema, turned into <see cref="LogOptions"/> and <see cref="TopicConfig"/>s by <see cref="ToLogOptions"/>
/// and <see cref="TopicSectionOptions.ToConfig"/>, checked key by key by <see cref="LogSectionValidator"/>.
/// </summary>
public sealed class LogSectionOptions
{
    public const string Section = "Log";

    /// <summary>Empty means $STATE_DIRECTORY/log under systemd, else ~/.local/share/edge-gateway/log.</summary>
    public string Directory { get; set; } = "";

    /// <summary>
    /// "auto" (the default: what the file system can hold minus <see cref="DiskReserveBytes"/>) or a byte count, which
    /// the file system still caps (FORMAT.md §7.3). "0" means the same as "auto".
    /// </summary>
    public string DiskBudgetBytes { get; set; } = ByteSize.Auto;

    /// <summary>"auto" (5 % of the file system, 1 MiB to 1 GiB) or the bytes the log leaves free for the rest of the system.</summary>
    public string DiskReserveBytes { get; set; } = ByteSize.Auto;

    public Dictionary<string, TopicSectionOptions> Topics { get; set; } = [];

    /// <summary>The configured budget in bytes; 0 = auto. Validated at start (<see cref="LogSectionValidator"/>).</summary>
    public long BudgetBytes => ByteSize.TryParse(DiskBudgetBytes, "Log:DiskBudgetBytes", 0, out long b, out _) ? b : 0;

    /// <summary>The configured reserve in bytes; -1 = auto.</summary>
    public long ReserveBytes => ByteSize.TryParse(DiskReserveBytes, "Log:DiskReserveBytes", -1, out long b, out _) ? b : -1;

    public string ResolveDirectory()
    {
        if (!string.IsNullOrWhiteSpace(Directory)) return Path.GetFullPath(Directory);
        string? state = Environment.GetEnvironmentVariable("STATE_DIRECTORY"); // set by systemd's StateDirectory=
        string root = !string.IsNullOrEmpty(state) ? state.Split(':')[0]
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "edge-gateway");
        return Path.Combine(root, "log");
    }

    public LogOptions ToLogOptions() => new() { Directory = ResolveDirectory(), DiskBudgetBytes = BudgetBytes, DiskReserveBytes = ReserveBytes };

    /// <summary>Every configured topic as the log's own <see cref="TopicConfig"/>.</summary>
    public IReadOnlyList<TopicConfig> ToTopicConfigs() => Topics.Select(t => t.Value.ToConfig(t.Key)).ToList();

    /// <summary>The names of the configured topics that hold readings: not internal (<see cref="TopicConfig.IsInternal(string)"/>).</summary>
    public IReadOnlyList<string> UserTopicNames => Topics.Keys.Where(n => !TopicConfig.IsInternal(n)).ToList();
}
