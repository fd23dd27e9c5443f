namespace Edge.FirmwareSim.Cli;

/// <summary>What <c>firmware-sim fleet</c> runs: the parsed command line of <see cref="FleetCommand"/>.</summary>
public sealed record FleetOptions
{
    /// <summary>The gateway's broker.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    /// <summary>Gateway id: nodes publish to edge/&lt;gateway&gt;/ingest/&lt;sensorId&gt;.</summary>
    public string Gateway { get; init; } = "edge-dev";

    public int Nodes { get; init; } = 10;

    /// <summary>Readings per second per node.</summary>
    public double Rate { get; init; } = 10;

    /// <summary>Publishes awaiting their PUBACK per node.</summary>
    public int InFlight { get; init; } = 16;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>MQTT 3.1.1 instead of 5.</summary>
    public bool Mqtt311 { get; init; }
}
