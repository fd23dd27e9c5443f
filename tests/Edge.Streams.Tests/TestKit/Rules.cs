using Edge.Log;
using Edge.Readings;
using Edge.Streams.Alerts;
using Edge.Streams.Configuration;
using Edge.Streams.Engine;
using Edge.Streams.Rules;

namespace Edge.Streams.Tests.TestKit;

/// <summary>Builds rules from the configuration form and drives an engine by hand.</summary>
internal sealed class EngineDriver
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public EngineDriver(IReadOnlyDictionary<string, RuleOptions> rules, StreamsOptions? options = null, IReadOnlyDictionary<string, string>? sites = null)
    {
        var errors = new List<string>();
        Definitions = RuleParser.Parse(rules, errors);
        Assert.Empty(errors);
        Engine = new StreamEngine(Definitions, options ?? new StreamsOptions(), sites);
    }

    public IReadOnlyList<RuleDefinition> Definitions { get; }

    public StreamEngine Engine { get; set; }

    public List<Emitted> Output { get; } = [];

    public IEnumerable<AlertEvent> Alerts => Output.Select(o => o.Alert).OfType<AlertEvent>();

    /// <summary>Processing time (the gateway's clock); follows the readings while <see cref="FollowReadings"/>.</summary>
    public long Now { get; set; } = T0.ToUnixTimeMilliseconds();

    /// <summary>False: processing time stays where it is set, as during a backlog replay or for a node with a wrong clock.</summary>
    public bool FollowReadings { get; set; } = true;

    private long _offset;

    public void Read(string sensor, string kind, double seconds, params (string Name, double Value)[] values) =>
        Read(new TopicPartition("health", 0), sensor, kind, seconds, values);

    public void Read(TopicPartition tp, string sensor, string kind, double seconds, params (string Name, double Value)[] values)
    {
        var at = T0.AddSeconds(seconds);
        if (FollowReadings) Now = Math.Max(Now, at.ToUnixTimeMilliseconds());
        var reading = new Reading(sensor, kind, at, values.Select(v => new ReadingValue(v.Name, v.Value, "")).ToArray());
        Engine.Process(tp, _offset++, reading, Now, Output);
    }

    public void Tick(double seconds)
    {
        Now = T0.AddSeconds(seconds).ToUnixTimeMilliseconds();
        Engine.Tick(Now, Output);
    }

    public static double Seconds(long unixMs) => (unixMs - T0.ToUnixTimeMilliseconds()) / 1000.0;

    public string Describe() => string.Join("; ", Alerts.Select(a => $"{a.Rule} {a.Key} {a.State} at {Seconds(a.At)} s"));
}
