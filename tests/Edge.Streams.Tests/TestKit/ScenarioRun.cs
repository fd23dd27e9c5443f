using Edge.FirmwareSim.Board;
using Edge.FirmwareSim.Scenarios;
using Edge.Log;
using Edge.Readings;
using Edge.Sensors;
using Edge.Sensors.Configuration;
using Edge.Streams.Alerts;
using Edge.Streams.Configuration;
using Edge.Streams.Engine;
using Edge.Streams.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Streams.Tests.TestKit;

/// <summary>
/// A firmware-sim scenario in virtual time through the gateway's shipped configuration (gateway/appsettings.json):
/// its sensors — the catalog's real bindings on the register models — each read at its own interval on a fake clock,
/// every reading handed to the rule engine with the shipped rules, partitioned as the log would partition it.
/// </summary>
internal sealed class ScenarioRun : IDisposable
{
    public static readonly DateTimeOffset Midnight = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time;
    private readonly SimulatedBoard _board;
    private readonly List<(SensorSpec Spec, ISensor Sensor)> _sensors = [];
    private readonly StreamEngine _engine;
    private readonly Dictionary<string, int> _partitions;

    public ScenarioRun(Scenario scenario, Func<string, bool>? sensorFilter = null, int seed = 42)
    {
        var config = ShippedConfiguration();
        _time = new FakeTimeProvider(Midnight);
        var world = new ScenarioWorld(scenario, seed, _time.GetUtcNow());
        _time.SetUtcNow(world.Start);
        Start = world.Start;
        _board = new SimulatedBoard(_time, world);
        var definitions = new Dictionary<string, SensorDefinition>(StringComparer.Ordinal);
        foreach (var child in config.GetSection("Sensors").GetChildren())
            if (sensorFilter?.Invoke(child.Key) ?? true) definitions[child.Key] = child.Get<SensorDefinition>()!;
        var specs = SensorDefinitionValidator.Validate(definitions, null, out var errors);
        Assert.Empty(errors);
        _time.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1); // the VL53 bindings' calibrations at start poll the chip's clock
        foreach (var spec in specs) _sensors.Add((spec, spec.Type.Create(spec, _board, _time)));
        _time.AutoAdvanceAmount = TimeSpan.Zero;
        var rules = new RulesSettings();
        StreamsRegistration.Read(config, rules);
        Assert.Empty(rules.Errors);
        Options = config.GetSection(StreamsOptions.Section).Get<StreamsOptions>() ?? new StreamsOptions();
        _engine = new StreamEngine(rules.Definitions, Options, rules.Sites);
        _partitions = config.GetSection("Log:Topics").GetChildren().ToDictionary(c => c.Key, c => int.Parse(c["Partitions"]!, System.Globalization.CultureInfo.InvariantCulture));
        World = world;
    }

    public DateTimeOffset Start { get; }

    public ScenarioWorld World { get; }

    public StreamsOptions Options { get; }

    public StreamEngine Engine => _engine;

    public List<AlertEvent> Alerts { get; } = [];

    /// <summary>Every reading with its topic, when <see cref="KeepReadings"/>.</summary>
    public List<(string Topic, Reading Reading)> Readings { get; } = [];

    public bool KeepReadings { get; init; }

    internal static IConfiguration ShippedConfiguration()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Edge.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("Edge.sln not found above the test binary");
        return new ConfigurationBuilder().AddJsonFile(Path.Combine(dir, "gateway", "appsettings.json")).Build();
    }

    /// <summary>Runs the scenario for <paramref name="duration"/> of virtual time.</summary>
    public void Run(TimeSpan duration)
    {
        var due = new PriorityQueue<int, long>();
        long t0 = _time.GetUtcNow().UtcTicks;
        for (int i = 0; i < _sensors.Count; i++) due.Enqueue(i, t0 + _sensors[i].Spec.Sampling.Interval.Ticks);
        long end = t0 + duration.Ticks;
        var output = new List<Emitted>();
        while (due.TryDequeue(out int i, out long at) && at <= end)
        {
            if (at > _time.GetUtcNow().UtcTicks) _time.SetUtcNow(new DateTimeOffset(at, TimeSpan.Zero));
            var (spec, sensor) = _sensors[i];
            due.Enqueue(i, at + spec.Sampling.Interval.Ticks);
            bool ready;
            IReadOnlyList<ReadingValue> values;
            try
            {
                ready = sensor.TryRead(out values);
            }
            catch (IOException)
            {
                continue; // a disconnected device: the sampler would back off; here it is simply read again next tick
            }
            if (!ready) continue;
            var reading = new Reading(spec.Id, sensor.Kind, _time.GetUtcNow(), values, ReadingQuality.Simulated);
            if (KeepReadings) Readings.Add((spec.Topic, reading));
            Feed(spec.Topic, reading, output);
        }
        _time.SetUtcNow(new DateTimeOffset(end, TimeSpan.Zero));
    }

    public void Feed(string topic, Reading reading, List<Emitted>? output = null)
    {
        output ??= [];
        output.Clear();
        int partition = KeyPartitioner.PartitionFor(System.Text.Encoding.UTF8.GetBytes(reading.SensorId), _partitions.GetValueOrDefault(topic, 1));
        _engine.Process(new TopicPartition(topic, partition), 0, reading, _time.GetUtcNow().ToUnixTimeMilliseconds(), output);
        foreach (var e in output) if (e.Alert is { } a) Alerts.Add(a);
    }

    public IEnumerable<AlertEvent> Of(string rule) => Alerts.Where(a => a.Rule == rule);

    public double Minutes(long unixMs) => (DateTimeOffset.FromUnixTimeMilliseconds(unixMs) - Start).TotalMinutes;

    public string Describe() => string.Join("\n", Alerts.Select(a => $"{a.Rule} {a.Key} {a.State} at +{Minutes(a.At):0.00} min (episode +{Minutes(a.EpisodeStart):0.00}) {string.Join(",", a.Values.Select(v => $"{v.Name}={v.Value}"))}"));

    public void Dispose()
    {
        foreach (var (_, s) in _sensors) s.Dispose();
        _board.Dispose();
    }
}
