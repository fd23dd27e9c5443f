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
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        string name = args.Positional.Count > 1 ? args.Positional[1] : "default";
        if (!ScenarioCatalog.TryGet(name, out var scenario))
            throw new ArgumentException($"unknown scenario '{name}'; known: {string.Join(", ", ScenarioCatalog.Names)}");
        int seed = args.Int("seed", 42, int.MinValue, int.MaxValue);
        double speed = args.Double("speed", 1, 0.01, 10_000);
        var duration = args.Duration("duration") ?? scenario.SuggestedDuration;
        bool json = args.Text("format", "table") == "json";

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
        var tasks = new List<Task>();
        foreach (var spec in specs)
        {
            var sampler = new SensorSampler(new ReconnectingSensor(spec, board, clock), spec.Sampling, clock, NullLogger.Instance, simulated: true);
            tasks.Add(sampler.RunAsync(stop.Token));
            tasks.Add(Task.Run(async () =>
            {
                await foreach (var r in sampler.Readings.ReadAllAsync(CancellationToken.None)) await merged.Writer.WriteAsync(r, CancellationToken.None);
            }, CancellationToken.None));
        }
        var done = Task.WhenAll(tasks).ContinueWith(_ => merged.Writer.Complete(), TaskScheduler.Default);
        long count = 0;
        await foreach (var r in merged.Reader.ReadAllAsync(CancellationToken.None))
        {
            count++;
            output.WriteLine(json ? ReadingJsonCodec.Encode(r) : Row(r));
        }
        await done.ConfigureAwait(false);
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
