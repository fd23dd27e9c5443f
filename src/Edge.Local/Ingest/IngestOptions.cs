namespace Edge.Local.Ingest;

/// <summary>"Ingest": readings published by remote nodes to <c>edge/&lt;id&gt;/ingest/&lt;sensorId&gt;</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    public IngestPolicy Policy { get; set; } = IngestPolicy.AutoRegister;

    /// <summary>Sensor ids allowed under <see cref="IngestPolicy.KnownOnly"/>.</summary>
    public List<string> Sensors { get; set; } = [];

    /// <summary>Largest accepted payload; a documented JSON reading is a few hundred bytes.</summary>
    public int MaxPayloadBytes { get; set; } = 4096;

    /// <summary>
    /// Log topic per reading kind prefix (the part before the first '.'); kinds not listed go to the topic named
    /// like their prefix ("health.spo2" → "health") when it exists.
    /// </summary>
    public Dictionary<string, string> Topics { get; set; } = new(StringComparer.Ordinal);

    public TimeSpan MaxPastSkew { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    public int MaxAutoRegistered { get; set; } = 1000;

    public double ReadingsPerSecond { get; set; } = 50;

    public int Burst { get; set; } = 500;

    public IReadOnlyList<string> Validate(IReadOnlyCollection<string> readingTopics) => Validate();

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Policy)) errors.Add($"Ingest:Policy: '{Policy}' is not AutoRegister or KnownOnly");
        if (MaxPayloadBytes is < 64 or > 256 * 1024) errors.Add($"Ingest:MaxPayloadBytes: {MaxPayloadBytes} is outside 64..262144");
        if (Policy == IngestPolicy.KnownOnly && Sensors.Count == 0) errors.Add("Ingest:Sensors: Policy is KnownOnly but no sensors are listed: every ingest would be refused");
        return errors;
    }
}
