using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Edge.FirmwareSim.Board;
using Edge.FirmwareSim.Scenarios;
using Edge.Readings;
using Edge.Sensors.Configuration;
using Edge.Sensors.Hardware;
using Edge.Sensors.Sampling;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.FirmwareSim.Cli;

/// <summary>
/// `firmware-sim run &lt;scenario&gt;`: runs the real drivers of the bench on the register models under a named
/// scenario, on a virtual clock (--speed 60 plays an hour in a minute), and prints what each device reports.
/// </summary>
public static class RunCommand
{
    public static Command Create(TextWriter output)
    {
        var scenario = new Argument<string>("scenario") { Description = "the scenario to play (firmware-sim scenarios lists them)", HelpName = "scenario", DefaultValueFactory = _ => "default" };
        scenario.CompletionSources.Add(ScenarioCatalog.Names.ToArray());
        scenario.Validators.Add(r =>
        {
            string name = r.GetValueOrDefault<string>();
            if (!ScenarioCatalog.TryGet(name, out _)) r.AddError($"unknown scenario '{name}'; known: {string.Join(", ", ScenarioCatalog.Names)}");
        });
        var seed = CliOptions.WholeNumber("--seed", "seed of the scenario's randomness", 42, int.MinValue, int.MaxValue);
        var speed = CliOptions.Number("--speed", "virtual seconds per real second (60 plays an hour in a minute)", 1, 0.01, 10_000);
        var duration = CliOptions.Duration("--duration", "virtual time to play (default: the scenario's own)");
        var format = new Option<string>("--format") { Description = "table, or one JSON reading per line", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("run", "run the gateway's drivers on the register models under a scenario and print what each device reports")
        {
            scenario, seed, speed, duration, format,
        };
        command.SetAction((parsed, cancellationToken) =>
        {
            ScenarioCatalog.TryGet(parsed.GetValue(scenario)!, out var played);
            var options = new RunOptions(played)
            {
                Seed = parsed.GetValue(seed), Speed = parsed.GetValue(speed), Duration = parsed.GetValue(duration), Json = parsed.GetValue(format) == "json",
            };
            return RunAsync(options, output, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(RunOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var scenario = options.Scenario;
        int seed = options.Seed;
        double speed = options.Speed;
        var duration = options.Duration ?? scenario.SuggestedDuration;
        bool json = options.Json;

        var specs = SensorDefinitionValidator.Validate(Bench.Default(), null, out var errors);
        if (errors.Count > 0) throw new ArgumentException(string.Join("\n", errors));
        var world = new ScenarioWorld(scenario, seed, DateTimeOffset.UtcNow);
        var clock = new VirtualClock(world.Start, speed);
        using var board = new SimulatedBoard(clock, world);
        output.WriteLine($"# scenario {scenario.Name} (seed {seed}): {scenario.Description}");
        output.WriteLine($"# {specs.Count} sensors on {board.Description}; {duration} of virtual time at {speed}x");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration / speed);
        var merged = Channel.CreateUnbounded<Reading>();
        // The gateway's sampling: the board's sensors on one sampling thread (BoardSampler), each forwarded to the output.
        var sampling = new BoardSampler(clock, NullLogger.Instance);
        var drivers = new List<ReconnectingSensor>();
        var forwards = new List<Task>();
        foreach (var spec in specs)
        {
            var sensor = new ReconnectingSensor(spec, board, clock);
            drivers.Add(sensor);
            var sampler = new SensorSampler(sensor, spec.Sampling, clock, NullLogger.Instance, simulated: true);
            sampling.Add(sampler, spec.Type);
            forwards.Add(Task.Run(async () =>
            {
                await foreach (var r in sampler.Readings.ReadAllAsync(CancellationToken.None)) await merged.Writer.WriteAsync(r, CancellationToken.None);
            }, CancellationToken.None));
        }
        var done = Task.WhenAll(forwards.Prepend(sampling.RunAsync(stop.Token)).ToList()).ContinueWith(_ => merged.Writer.Complete(), TaskScheduler.Default);
        long count = 0;
        await foreach (var r in merged.Reader.ReadAllAsync(CancellationToken.None))
        {
            count++;
            output.WriteLine(json ? ReadingJsonCodec.Encode(r) : Row(r));
        }
        await done.ConfigureAwait(false);
        // The samplers do not own their drivers: released once sampling and forwarding have stopped.
        foreach (var d in drivers) d.Dispose();
        output.WriteLine($"# {count} readings");
        return 0;
    }

    private static string Row(Reading r)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{r.Timestamp:HH:mm:ss.fff}  {r.SensorId,-12} {r.Kind,-22}");
        foreach (var v in r.Values) sb.Append(CultureInfo.InvariantCulture, $" {v.Name}={v.Value:0.###}{(v.Unit.Length == 0 ? "" : " " + v.Unit)}");
        return sb.ToString();
    }
}
