using System.Net;
using System.Net.Sockets;
using System.Text;
using Edge.Local.Broker;
using Edge.Local.Ingest;
using Edge.Local.Live;
using Edge.Local.Query;
using Edge.Local.Status;
using Edge.Log;
using Edge.Readings;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Local.Tests.TestKit;

/// <summary>
/// A real log in a temp directory, the local API over it and the embedded broker on a free loopback port, with
/// three users (sensor, reader, admin). Local sensors: "mag-1" (traffic) and "hr-1" (health).
/// </summary>
public sealed class LocalRig : IAsyncDisposable
{
    public const string Password = "s3cret-pass";

    public static readonly string Hash = PasswordHash.Create(Password);
    private readonly TempDir _dir;
    private bool _keep;

    private LocalRig(TempDir dir, EdgeLog log, LocalApi api, EmbeddedBroker broker, BrokerOptions options, IngestCounters counters)
    {
        (_dir, Log, Api, Broker, Options, Counters) = (dir, log, api, broker, options, counters);
    }

    public EdgeLog Log { get; }

    public LocalApi Api { get; }

    public EmbeddedBroker Broker { get; }

    public BrokerOptions Options { get; }

    public IngestCounters Counters { get; }

    public int Port => Options.Port;

    public string Directory => _dir.Path;

    public static async Task<LocalRig> StartAsync(QueryOptions? query = null, IngestOptions? ingest = null, TempDir? dir = null, bool keepDirectory = false,
        Action<BrokerOptions>? configure = null, Edge.Log.IO.IFileSystem? fileSystem = null, IRulesView? rules = null)
    {
        dir ??= new TempDir();
        var log = EdgeLog.Open(new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) }, fileSystem: fileSystem);
        log.CreateTopic(new TopicConfig("traffic") { Partitions = 4, RetentionTime = null });
        log.CreateTopic(new TopicConfig("health") { Partitions = 2, RetentionTime = null });
        log.CreateTopic(new TopicConfig("environment") { Partitions = 1, RetentionTime = null });
        // The gateway's rules service creates its alert topic before the local API starts following it.
        if (rules is not null) log.CreateTopic(new TopicConfig(rules.AlertTopic) { Partitions = 1, RetentionTime = null, Flush = FlushPolicy.Immediate });
        var view = new FakeGatewayView(
            new SensorInfo("mag-1", "qmc5883l", ReadingKinds.TrafficVehicle, "traffic", "local", "ok", 0, 0, null),
            new SensorInfo("hr-1", "max30102", ReadingKinds.HeartRate, "health", "local", "ok", 0, 0, null)) { Rules = rules };
        query ??= new QueryOptions();
        var api = LocalApi.Create(log, view, query, ingest ?? new IngestOptions(), TimeProvider.System);
        var counters = api.Counters;
        var options = new BrokerOptions
        {
            Port = FreePort.Get(),
            StatusInterval = TimeSpan.FromSeconds(1),
            Users =
            {
                ["node"] = new BrokerUser { PasswordHash = Hash, Role = BrokerRole.Sensor },
                ["viewer"] = new BrokerUser { PasswordHash = Hash, Role = BrokerRole.Reader },
                ["ops"] = new BrokerUser { PasswordHash = Hash, Role = BrokerRole.Admin },
            },
        };
        configure?.Invoke(options);
        var broker = new EmbeddedBroker(options, api, NullLogger.Instance);
        await broker.StartAsync();
        return new LocalRig(dir, log, api, broker, options, counters) { _keep = keepDirectory };
    }

    /// <summary>Appends readings of a sensor straight to the log (as the sensor pipeline does), keyed by sensor id.</summary>
    public async Task FillAsync(string topic, string sensor, int count, DateTimeOffset start, TimeSpan step, string kind = ReadingKinds.HeartRate)
    {
        var key = Encoding.UTF8.GetBytes(sensor);
        var tasks = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            var r = new Reading(sensor, kind, start + step * i, [new ReadingValue("bpm", 60 + i % 40, "/min")], ReadingQuality.Ok, i);
            tasks.Add(Log.AppendAsync(topic, new Edge.Log.Record(key, ReadingBinaryCodec.Encode(r), r.Timestamp.ToUnixTimeMilliseconds())).AsTask());
            if (tasks.Count == 5000)
            {
                await Task.WhenAll(tasks);
                tasks.Clear();
            }
        }
        await Task.WhenAll(tasks);
    }

    public long Stored(string topic) =>
        Enumerable.Range(0, Log.GetTopic(topic).Partitions).Sum(p => Log.GetPartitionInfo(topic, p).HighWatermark);

    /// <summary>The retained status message as a new subscriber receives it.</summary>
    public async Task<System.Text.Json.Nodes.JsonNode> RetainedStatusAsync()
    {
        await using var c = await Client.ConnectAsync(Port);
        var got = new TaskCompletionSource<MQTTnet.MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        c.MessageReceived += m => { if (m.Topic == Api.Topics.Status) got.TrySetResult(m); };
        await c.SubscribeAsync(Api.Topics.Status);
        var message = await got.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return System.Text.Json.Nodes.JsonNode.Parse(MQTTnet.MqttApplicationMessageExtensions.ConvertPayloadToString(message))!;
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        Log.Dispose();
        if (!_keep) _dir.Dispose();
    }
}
