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
    /// like their prefix ("health.spo2" → "health") when that is a reading topic (Log:Topics).
    /// </summary>
    public Dictionary<string, string> Topics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How far before the gateway's clock a reading may be dated: a node uploading what it buffered during an outage
    /// is welcome, a reading from year 1 is a broken clock. Thirty days is the longest default retention (health).
    /// </summary>
    public TimeSpan MaxPastSkew { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How far after the gateway's clock a reading may be dated. A far-future reading would pin its log segment
    /// against time retention (its newest timestamp never ages); NTP keeps two clocks well within a few seconds.
    /// </summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Remote sensor ids AutoRegister keeps at most (each costs memory, a _sensors record and a line of status).</summary>
    public int MaxAutoRegistered { get; set; } = 1000;

    /// <summary>
    /// Sustained readings per second one node (its account, or its address when anonymous) may ingest, and the burst
    /// above it (a node emptying its buffer after an outage).
    /// </summary>
    public double ReadingsPerSecond { get; set; } = 50;

    public int Burst { get; set; } = 500;

    /// <summary>
    /// QoS 1 readings one connection may have stored-but-not-yet-acknowledged (appended, waiting for durability): a
    /// node with many in flight gives the log's group commit company, and one sync acknowledges them all. Over it the
    /// broker stops reading that connection until its oldest PUBACK is sent (TCP back-pressure; nothing is dropped).
    /// Announced to MQTT 5 clients as Receive Maximum (MQTT 5 §3.2.2.3.3).
    /// </summary>
    public int MaxPendingPerConnection { get; set; } = 1024;

    /// <summary>
    /// The same across all connections: what waits for durability stays below this many readings (a few hundred bytes
    /// each), however many nodes connect, so memory stays flat.
    /// </summary>
    public int MaxPending { get; set; } = 8192;

    /// <summary>Checks the section; <paramref name="readingTopics"/> are the log topics that hold readings (Log:Topics).</summary>
    public IReadOnlyList<string> Validate(IReadOnlyCollection<string> readingTopics)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Policy)) errors.Add($"Ingest:Policy: '{Policy}' is not AutoRegister or KnownOnly");
        if (MaxPayloadBytes is < 64 or > 256 * 1024) errors.Add($"Ingest:MaxPayloadBytes: {MaxPayloadBytes} is outside 64..262144");
        if (Policy == IngestPolicy.KnownOnly && Sensors.Count == 0) errors.Add("Ingest:Sensors: Policy is KnownOnly but no sensors are listed: every ingest would be refused");
        if (MaxPastSkew <= TimeSpan.Zero) errors.Add($"Ingest:MaxPastSkew: {MaxPastSkew} must be positive");
        if (MaxFutureSkew < TimeSpan.Zero) errors.Add($"Ingest:MaxFutureSkew: {MaxFutureSkew} must not be negative");
        if (MaxAutoRegistered is < 0 or > 1_000_000) errors.Add($"Ingest:MaxAutoRegistered: {MaxAutoRegistered} is outside 0..1000000");
        if (!(ReadingsPerSecond > 0)) errors.Add($"Ingest:ReadingsPerSecond: {ReadingsPerSecond} must be above 0");
        if (Burst < 1) errors.Add($"Ingest:Burst: {Burst} must be at least 1");
        if (MaxPendingPerConnection is < 1 or > 65535) errors.Add($"Ingest:MaxPendingPerConnection: {MaxPendingPerConnection} is outside 1..65535 (MQTT Receive Maximum)");
        if (MaxPending < MaxPendingPerConnection) errors.Add($"Ingest:MaxPending: {MaxPending} is below Ingest:MaxPendingPerConnection ({MaxPendingPerConnection})");
        foreach (var (kind, topic) in Topics)
        {
            if (!IngestTopics.IsReadingTopic(topic, readingTopics))
                errors.Add($"Ingest:Topics:{kind}: '{topic}' is not a topic that holds readings; use one of Log:Topics ({string.Join(", ", readingTopics)})");
        }
        return errors;
    }
}
