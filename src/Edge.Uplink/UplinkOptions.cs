using System.Text.RegularExpressions;

namespace Edge.Uplink;

/// <summary>
/// The "Uplink" section: where readings are forwarded and how. An empty <see cref="Host"/> means buffer-only mode:
/// readings stay in the log (subject to retention and the disk budget) and nothing is committed as delivered.
/// </summary>
public sealed partial class UplinkOptions
{
    public const string Section = "Uplink";

    /// <summary>Upstream broker host name or address; empty = buffer-only.</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 1883;

    public UplinkTlsOptions Tls { get; set; } = new();

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public MqttVersion Protocol { get; set; } = MqttVersion.V5;

    /// <summary>MQTT client id; "edge-{gateway}" when empty. Must be stable so the broker keeps the session.</summary>
    public string ClientId { get; set; } = "";

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the broker keeps the session after a disconnect (MQTT 5 session expiry; 3.1.1: clean session off).</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Topic of each message: {gateway}, {topic} (log topic), {sensor} (sensor id; "batch" for batches), {partition}.</summary>
    public string TopicTemplate { get; set; } = "edge/{gateway}/{topic}/{sensor}";

    public PayloadFormat Format { get; set; } = PayloadFormat.Json;

    public int BatchMaxReadings { get; set; } = 4000;

    public int BatchMaxBytes { get; set; } = 64 * 1024;

    /// <summary>QoS 1 messages awaiting PUBACK at once, across partitions.</summary>
    public int MaxInFlight { get; set; } = 100;

    public CatchUpOptions CatchUp { get; set; } = new();

    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a message refused with a transient reason (quota, server busy) waits before it is sent again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When a published message's PUBACK is overdue by this much and the broker has gone silent for it — no PUBACK at
    /// all on the connection for this long, or PUBACKs for messages published after it — the uplink drops the connection
    /// and resends from the committed offset. MQTT only resends on a new connection (MQTT 5 §4.4), and a broker that
    /// loses or throttles a publish without answering would otherwise stall that partition for as long as the
    /// connection lives. PUBACKs still coming for earlier messages mean a slow link, and the wait goes on.
    /// </summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Log topic where readings the broker permanently refuses are parked with the reason; created when missing.</summary>
    public string DeadLetterTopic { get; set; } = "deadletter";

    /// <summary>Log topics forwarded; empty = every topic except the dead-letter topic.</summary>
    public List<string> Topics { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>Every problem, each naming its key ("Uplink:Port must be ...").</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok) errors.Add("Uplink:" + message);
        }
        Check(Port is > 0 and < 65536, $"Port must be between 1 and 65535, not {Port}");
        Check(string.IsNullOrEmpty(ClientId) || ClientIdPattern().IsMatch(ClientId), "ClientId must be 1-64 characters of A-Z a-z 0-9 . _ -");
        Check(KeepAlive >= TimeSpan.FromSeconds(5) && KeepAlive <= TimeSpan.FromHours(18), "KeepAlive must be between 5 s and 18 h (MQTT's 16-bit seconds)");
        Check(SessionExpiry >= TimeSpan.Zero && SessionExpiry.TotalSeconds <= uint.MaxValue, "SessionExpiry must be between 0 and 136 years");
        Check(TopicTemplate.Contains("{topic}", StringComparison.Ordinal) && !TopicTemplate.Contains('#') && !TopicTemplate.Contains('+') && !TopicTemplate.StartsWith('$'),
            $"TopicTemplate '{TopicTemplate}' must contain {{topic}} and no wildcard (+ #) or leading $");
        Check(Enum.IsDefined(Format), $"Format must be one of {string.Join(", ", Enum.GetNames<PayloadFormat>())}");
        Check(BatchMaxReadings is >= 1 and <= 100_000, "BatchMaxReadings must be between 1 and 100000");
        Check(BatchMaxBytes is >= 1024 and <= 256 * 1024 * 1024, "BatchMaxBytes must be between 1024 and 268435456 (MQTT's packet limit)");
        Check(MaxInFlight is >= 1 and <= 65_535, "MaxInFlight must be between 1 and 65535 (MQTT packet identifiers)");
        Check(CatchUp.ReadingsPerSecond >= 0 && CatchUp.BytesPerSecond >= 0, "CatchUp: ReadingsPerSecond and BytesPerSecond must be 0 (unlimited) or positive");
        Check(ReconnectMinDelay > TimeSpan.Zero && ReconnectMaxDelay >= ReconnectMinDelay, "ReconnectMinDelay must be positive and at most ReconnectMaxDelay");
        Check(RetryDelay > TimeSpan.Zero, "RetryDelay must be positive");
        Check(AckTimeout >= TimeSpan.FromSeconds(1), "AckTimeout must be at least 1 s");
        Check(!string.IsNullOrWhiteSpace(DeadLetterTopic), "DeadLetterTopic must not be empty");
        Check(string.IsNullOrEmpty(Password) || !string.IsNullOrEmpty(Username), "Password is set but Username is empty");
        if (Tls.Enabled)
        {
            foreach (var (key, file) in new[] { ("CaFile", Tls.CaFile), ("ClientCertificateFile", Tls.ClientCertificateFile), ("ClientKeyFile", Tls.ClientKeyFile) })
                Check(string.IsNullOrEmpty(file) || File.Exists(file), $"Tls:{key} '{file}' does not exist");
            Check(string.IsNullOrEmpty(Tls.ClientCertificateFile) == string.IsNullOrEmpty(Tls.ClientKeyFile), "Tls: ClientCertificateFile and ClientKeyFile go together (mutual TLS)");
        }
        return errors;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ClientIdPattern();
}
