using Edge.Local.Broker;
using Edge.Local.Ingest;
using Edge.Local.Query;
using Edge.Local.Status;
using Edge.Log;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Local.Tests.TestKit;

/// <summary>
/// Broker:Mode Client under test: a real Mosquitto, a log with a two-partition health topic, the local API over it and
/// the bridge serving that API on the Mosquitto (status every second). Disposal stops the bridge first, then the rest.
/// </summary>
public sealed class ClientModeRig : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private bool _bridgeStopped;

    public ClientModeRig(params SensorInfo[] sensors)
        : this(null, sensors)
    {
    }

    /// <summary>With stream rules: their alert topic exists before the bridge starts following it, as in the gateway.</summary>
    public ClientModeRig(IRulesView? rules, params SensorInfo[] sensors)
    {
        Mosquitto = new Mosquitto(Path.Combine(_dir.Path, "broker"));
        Log = EdgeLog.Open(new LogOptions { Directory = Path.Combine(_dir.Path, "log"), MaintenanceInterval = TimeSpan.FromHours(1) });
        Log.CreateTopic(new TopicConfig("health") { Partitions = 2, RetentionTime = null });
        if (rules is not null) Log.CreateTopic(new TopicConfig(rules.AlertTopic) { Partitions = 1, RetentionTime = null, Flush = FlushPolicy.Immediate });
        Api = LocalApi.Create(Log, new FakeGatewayView(sensors) { Rules = rules }, new QueryOptions(), new IngestOptions(), TimeProvider.System);
        var options = new BrokerOptions { Mode = BrokerMode.Client, External = { Host = "127.0.0.1", Port = Mosquitto.Port }, StatusInterval = TimeSpan.FromSeconds(1) };
        Bridge = new ExternalBrokerBridge(options, Api, NullLogger.Instance);
        Bridge.Start();
    }

    public Mosquitto Mosquitto { get; }

    public EdgeLog Log { get; }

    public LocalApi Api { get; }

    public ExternalBrokerBridge Bridge { get; }

    /// <summary>Stops the bridge (it publishes its offline status); the broker and the log stay.</summary>
    public async ValueTask StopBridgeAsync()
    {
        if (_bridgeStopped) return;
        _bridgeStopped = true;
        await Bridge.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopBridgeAsync();
        Api.Dispose(); // stops the live feed's tails before the log closes
        Log.Dispose();
        Mosquitto.Dispose();
        _dir.Dispose();
    }
}
