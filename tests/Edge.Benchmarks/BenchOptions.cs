using System.Globalization;

namespace Edge.Benchmarks;

/// <summary>Command line: &lt;scenario&gt; [--seconds N] [--warmup S] [--dir D] [--out F] [--run K] [--gib G].</summary>
internal sealed class BenchOptions
{
    public string Scenario { get; private set; } = "";
    public const double DefaultSeconds = 4, DefaultWarmup = 1;

    public double Seconds { get; private set; } = DefaultSeconds;
    public double Warmup { get; private set; } = DefaultWarmup;
    public string Dir { get; private set; } = Path.Combine(Path.GetTempPath(), "edge-bench");
    public string? Out { get; private set; }
    public int Run { get; private set; } = 1;
    public double GiB { get; private set; } = 1;
    /// <summary>Readings for the uplink scenarios (uplink-drain, backlog-rss); 0 = the scenario's default.</summary>
    public long Readings { get; private set; }
    /// <summary>An existing broker "host:port" for the uplink scenarios instead of starting Mosquitto.</summary>
    public string? Broker { get; private set; }
    /// <summary>uplink-drain's payload formats, comma-separated (json, json-batch, binary-batch); empty = all three.</summary>
    public string[] Formats { get; private set; } = [];

    /// <summary>footprint's cases, comma-separated (idle, defaults); empty = both.</summary>
    public string[] Cases { get; private set; } = [];

    /// <summary>Environment variables for footprint's child gateway (--env K=V,K2=V2).</summary>
    public Dictionary<string, string> Env { get; } = [];

    /// <summary>Remote nodes for the ingest benchmark.</summary>
    public int Nodes { get; private set; } = 20;

    /// <summary>write-amplification: ingest rates (readings/s) to measure, one row each; 0 = the gateway's sensors alone. Empty = 0 and 1000.</summary>
    public double[] Rates { get; private set; } = [];

    /// <summary>write-amplification: extra command-line settings for the gateway (repeatable).</summary>
    public string[] GatewayArgs { get; private set; } = [];

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("usage: <log-append|log-read|log-recovery> [--seconds N] [--warmup S] [--dir D] [--out results.jsonl] [--run K] [--gib G] [--readings N] [--broker host:port] [--formats json,json-batch,binary-batch,records-batch] [--cases idle,defaults] [--env K=V,...] [--rates 0,1000] [--gateway-arg --Key=value]");
        var o = new BenchOptions { Scenario = args[0] };
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Num() => double.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--seconds": o.Seconds = Num(); break;
                case "--warmup": o.Warmup = Num(); break;
                case "--dir": o.Dir = Next(); break;
                case "--out": o.Out = Next(); break;
                case "--run": o.Run = (int)Num(); break;
                case "--gib": o.GiB = Num(); break;
                case "--readings": o.Readings = (long)Num(); break;
                case "--broker": o.Broker = Next(); break;
                case "--formats": o.Formats = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--nodes": o.Nodes = (int)Num(); break;
                case "--cases": o.Cases = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--env":
                    foreach (string kv in Next().Split(',', StringSplitOptions.RemoveEmptyEntries))
                        o.Env[kv.Split('=', 2)[0]] = kv.Contains('=') ? kv.Split('=', 2)[1] : throw new ArgumentException($"--env: '{kv}' is not K=V");
                    break;
                case "--rates": o.Rates = Next().Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--gateway-arg": o.GatewayArgs = [.. o.GatewayArgs, Next()]; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return o;
    }
}
