namespace Edge.Benchmarks;

/// <summary>What one benchmark run was asked for on the command line (<see cref="BenchCli"/> parses it).</summary>
internal sealed class BenchOptions
{
    public const double DefaultSeconds = 4, DefaultWarmup = 1;

    public required string Scenario { get; init; }

    public double Seconds { get; init; } = DefaultSeconds;

    public double Warmup { get; init; } = DefaultWarmup;

    public string Dir { get; init; } = Path.Combine(Path.GetTempPath(), "edge-bench");

    public string? Out { get; init; }

    public int Run { get; init; } = 1;

    public double GiB { get; init; } = 1;

    /// <summary>Readings for the uplink and query scenarios; 0 = the scenario's default.</summary>
    public long Readings { get; init; }

    /// <summary>An existing broker "host:port" for the uplink scenarios instead of starting Mosquitto.</summary>
    public string? Broker { get; init; }

    /// <summary>uplink-drain's payload formats (json, json-batch, binary-batch, records-batch); empty = all.</summary>
    public string[] Formats { get; init; } = [];

    /// <summary>footprint's cases (idle, defaults); empty = both.</summary>
    public string[] Cases { get; init; } = [];

    /// <summary>footprint, dashboard: a published gateway tree to run instead of the JIT build (<see cref="GatewayProgram"/>).</summary>
    public string? Published { get; init; }

    /// <summary>Environment variables for footprint's child gateway.</summary>
    public Dictionary<string, string> Env { get; init; } = [];

    /// <summary>Remote nodes for the ingest and write-amplification benchmarks.</summary>
    public int Nodes { get; init; } = 20;

    /// <summary>write-amplification: ingest rates (readings/s) to measure, one row each; 0 = the gateway's sensors alone. Empty = 0 and 1000.</summary>
    public double[] Rates { get; init; } = [];

    /// <summary>write-amplification: extra command-line settings for the gateway (repeatable).</summary>
    public string[] GatewayArgs { get; init; } = [];
}
