using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Edge.Benchmarks;

/// <summary>
/// The benchmark runner's command line (System.CommandLine): one subcommand per scenario — the list --help prints is
/// this table — and the options every scenario shares, each with its help text. A bad command line exits 2 naming
/// what was wrong.
/// </summary>
internal static class BenchCli
{
    public const int UsageExitCode = 2;

    private sealed record Scenario(string Name, string Description, Func<BenchOptions, Task<IReadOnlyList<Result>>> Run);

    private static Func<BenchOptions, Task<IReadOnlyList<Result>>> One(Func<BenchOptions, Task<Result>> run) => async o => [await run(o)];

    private static Func<BenchOptions, Task<IReadOnlyList<Result>>> Many<T>(Func<BenchOptions, Task<T>> run) where T : IReadOnlyList<Result> => async o => await run(o);

    private static readonly Scenario[] Scenarios =
    [
        new("log-append", "durable appends of 48-byte readings with group commit (one producer)", One(LogAppend.RunAsync)),
        new("log-read", "sequential reads of 5 M durable readings, page cache warm", One(LogRead.RunAsync)),
        new("log-recovery", "EdgeLog.Open after SIGKILL to the first durable append, on a --gib log", One(LogRecovery.RunAsync)),
        new("offset-commit", "durable commits of 64 consumer offsets through GroupMember.CommitAsync (LiteDB)", One(OffsetCommit.RunLiteDbAsync)),
        new("offset-commit-file", "the same commits as a checksummed checkpoint file (temp, fdatasync, rename)", One(o => Task.FromResult(OffsetCommit.RunFile(o)))),
        new("sensor-sampling", "CPU of 10 simulated sensors at 100 Hz through the real sampler", One(SensorSampling.RunAsync)),
        new("uplink-drain", "drain --readings buffered readings to Mosquitto, one line per --formats entry", Many(UplinkDrain.RunAsync)),
        new("backlog-rss", "RSS while --readings pile up with the uplink down", One(BacklogRss.RunAsync)),
        new("e2e-latency", "sensor read -> durable -> uplink PUBACK latency at 1,000 readings/s", One(E2eLatency.RunAsync)),
        new("wire-bytes", "bytes per reading on the wire for each payload format", Many(o => Task.FromResult(WireBytes.Run(o)))),
        new("query-latency", "local query round trips (latest, range) over --readings stored readings", One(QueryLatency.RunAsync)),
        new("ingest", "durable readings/s from --nodes firmware-sim fleet nodes through the embedded broker", One(IngestBench.RunAsync)),
        new("footprint", "CPU and RSS of the Release gateway at rest, per --cases entry", Many(Footprint.RunAsync)),
        new("write-amplification", "bytes written to the device per stored reading, per --rates entry", Many(WriteAmplification.RunAsync)),
        new("mqttjs-query-latency", "latest and range round trips from a default mqtt.js client, gateway vs Mosquitto + echo responder", Many(MqttJsQueryLatency.RunAsync)),
        new("stream-rules", "readings/s through 20 stream rules over 1,000 sensors on one thread, and summary vs raw uplink bytes", Many(o => Task.FromResult(StreamRules.Run(o)))),
        new("dashboard", "gateway CPU and RSS with the web server off, idle and with one headless Chromium open (--cases), and a look-back of --readings", Many(DashboardBench.RunAsync)),
        new("mqttjs-ingest", "QoS 1 readings/s from mqtt.js (1,000 in flight; 1 and 8 connections), gateway (durable) vs Mosquitto", Many(MqttJsIngest.RunAsync)),
    ];

    public static RootCommand Create()
    {
        var seconds = Number("--seconds", "measured seconds", BenchOptions.DefaultSeconds);
        var warmup = Number("--warmup", "warm-up seconds before measuring", BenchOptions.DefaultWarmup);
        var dir = new Option<string>("--dir") { Description = "scratch directory for logs", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "edge-bench"), Recursive = true };
        var output = new Option<string?>("--out") { Description = "append the JSON result lines to this file (stdout too)", HelpName = "results.jsonl", Recursive = true };
        var run = new Option<int>("--run") { Description = "run number written into each line", DefaultValueFactory = _ => 1, Recursive = true };
        var gib = Number("--gib", "log-recovery: size of the killed log in GiB", 1);
        var readings = new Option<long>("--readings") { Description = "uplink, backlog and query scenarios: readings to buffer (0 = the scenario's default)", Recursive = true };
        var broker = new Option<string?>("--broker") { Description = "an existing broker instead of starting Mosquitto", HelpName = "host:port", Recursive = true };
        broker.Validators.Add(r =>
        {
            string value = r.GetValueOrDefault<string?>() ?? "";
            if (value.Split(':') is not [{ Length: > 0 }, var port] || !int.TryParse(port, CultureInfo.InvariantCulture, out _))
                r.AddError($"--broker must be host:port, not '{value}'");
        });
        var formats = List("--formats", "uplink-drain: payload formats", "json,json-batch,binary-batch,records-batch");
        var cases = List("--cases", "footprint: cases", "idle,defaults");
        var env = List("--env", "footprint: environment variables for the child gateway", "K=V,...");
        env.Validators.Add(r =>
        {
            foreach (string kv in r.GetValueOrDefault<string[]>() ?? [])
                if (!kv.Contains('=')) r.AddError($"--env: '{kv}' is not K=V");
        });
        var published = new Option<string?>("--published") { Description = "footprint, dashboard: run DIR/edge-gateway, a published (Native AOT) gateway, instead of the JIT build", HelpName = "DIR", Recursive = true };
        var nodes = new Option<int>("--nodes") { Description = "ingest, write-amplification: firmware-sim fleet nodes", DefaultValueFactory = _ => 20, Recursive = true };
        var rates = new Option<double[]>("--rates")
        {
            Description = "write-amplification: ingest rates in readings/s, one row each (0 = the gateway's own sensors)", HelpName = "0,1000", Recursive = true,
            CustomParser = r => ParseRates(r),
        };
        var gatewayArgs = new Option<string[]>("--gateway-arg")
        {
            Description = "write-amplification: a setting for the child gateway, e.g. --Log:Topics:health:FlushMaxIntervalMs=0 (repeatable)",
            HelpName = "--Key=value", Recursive = true, AllowMultipleArgumentsPerToken = false,
        };

        var root = new RootCommand("Edge benchmarks: one JSON line per run (BENCHMARKS.md)")
        {
            seconds, warmup, dir, output, run, gib, readings, broker, formats, cases, env, published, nodes, rates, gatewayArgs,
        };
        foreach (var scenario in Scenarios)
        {
            var command = new Command(scenario.Name, scenario.Description);
            command.SetAction(async (parsed, _) =>
            {
                var options = new BenchOptions
                {
                    Scenario = scenario.Name, Seconds = parsed.GetValue(seconds), Warmup = parsed.GetValue(warmup), Dir = parsed.GetValue(dir)!,
                    Out = parsed.GetValue(output), Run = parsed.GetValue(run), GiB = parsed.GetValue(gib), Readings = parsed.GetValue(readings),
                    Broker = parsed.GetValue(broker), Formats = parsed.GetValue(formats) ?? [], Cases = parsed.GetValue(cases) ?? [],
                    Env = (parsed.GetValue(env) ?? []).ToDictionary(kv => kv.Split('=', 2)[0], kv => kv.Split('=', 2)[1]),
                    Published = parsed.GetValue(published), Nodes = parsed.GetValue(nodes), Rates = parsed.GetValue(rates) ?? [], GatewayArgs = parsed.GetValue(gatewayArgs) ?? [],
                };
                Directory.CreateDirectory(options.Dir);
                foreach (var result in await scenario.Run(options)) result.Write(options.Out);
                return 0;
            });
            root.Subcommands.Add(command);
        }
        // log-recovery's own child process: it builds the log and is killed mid-append. Not for people, so hidden.
        var childDir = new Argument<string>("dir");
        var child = new Command("log-recovery-child") { Hidden = true };
        child.Arguments.Add(childDir);
        child.SetAction(async (parsed, _) =>
        {
            await LogRecovery.ChildAsync(parsed.GetValue(childDir)!);
            return 0;
        });
        root.Subcommands.Add(child);
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        var parsed = Create().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0 || (parsed.CommandResult.Command is RootCommand && !parsed.Tokens.Any(t => t.Value is "--help" or "-h" or "-?")))
        {
            foreach (var e in parsed.Errors) await Console.Error.WriteLineAsync($"edge-benchmarks: {e.Message}");
            if (parsed.Errors.Count == 0) await Console.Error.WriteLineAsync("edge-benchmarks: name a scenario: " + string.Join(", ", Scenarios.Select(s => s.Name)));
            await Console.Error.WriteLineAsync("Try '--help'.");
            return UsageExitCode;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"edge-benchmarks: {e.Message}");
            return UsageExitCode;
        }
    }

    private static Option<double> Number(string name, string description, double defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue, Recursive = true };

    // A comma-separated list (--formats json,json-batch), as BENCHMARKS.md writes them.
    private static Option<string[]> List(string name, string description, string helpName) => new(name)
    {
        Description = description, HelpName = helpName, Recursive = true,
        CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
    };

    private static double[] ParseRates(ArgumentResult r)
    {
        var rates = new List<double>();
        foreach (string rate in r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0) rates.Add(value);
            else r.AddError($"--rates: '{rate}' is not a rate in readings/s");
        }
        return [.. rates];
    }
}
