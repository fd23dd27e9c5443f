using Edge.Log;
using Edge.Readings;
using Edge.Streams.Alerts;
using Edge.Streams.Configuration;
using Edge.Streams.Engine;
using Edge.Streams.Hosting;

namespace Edge.Streams.Tests.TestKit;

/// <summary>An engine with the rules of gateway/appsettings.json, fed (topic, reading) pairs partitioned as the log would.</summary>
internal sealed class ShippedRules
{
    private readonly List<Emitted> _output = [];

    public ShippedRules()
    {
        var config = ScenarioRun.ShippedConfiguration();
        var settings = new RulesSettings();
        StreamsRegistration.Read(config, settings);
        Assert.Empty(settings.Errors);
        Engine = new StreamEngine(settings.Definitions, new StreamsOptions(), settings.Sites);
    }

    public StreamEngine Engine { get; }

    public List<AlertEvent> Alerts { get; } = [];

    public void Feed(string topic, Reading r)
    {
        _output.Clear();
        var tp = new TopicPartition(topic, KeyPartitioner.PartitionFor(System.Text.Encoding.UTF8.GetBytes(r.SensorId), topic == "traffic" ? 4 : topic == "health" ? 2 : 1));
        Engine.Process(tp, 0, r, r.Timestamp.ToUnixTimeMilliseconds(), _output);
        foreach (var e in _output) if (e.Alert is { } a) Alerts.Add(a);
    }
}
