using Edge.Log;
using Edge.Readings;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Uplink.Tests.TestKit;

/// <summary>A log with traffic (4 partitions, priority 1) and health (2 partitions, priority 10) and an uplink on it.</summary>
public sealed class Rig : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, long> _sequences = [];
    private Task? _run;

    public Rig(string directory, UplinkOptions options, string gateway = "gw-test", Microsoft.Extensions.Logging.ILoggerFactory? loggers = null,
        Edge.Log.IO.IFileSystem? fileSystem = null)
    {
        Directory = directory;
        Options = options;
        Gateway = gateway;
        Log = EdgeLog.Open(new LogOptions { Directory = Path.Combine(directory, "log") }, fileSystem: fileSystem);
        Log.CreateTopic(new TopicConfig("traffic") { Partitions = 4, Priority = 1, Flush = FlushPolicy.GroupCommit });
        Log.CreateTopic(new TopicConfig("health") { Partitions = 2, Priority = 10, Flush = FlushPolicy.GroupCommit });
        Uplink = new Uplink(Log, options, gateway, TimeProvider.System, loggers ?? NullLoggerFactory.Instance);
    }

    public string Directory { get; }

    public UplinkOptions Options { get; }

    public string Gateway { get; }

    public EdgeLog Log { get; }

    public Uplink Uplink { get; private set; }

    public static UplinkOptions Options_(int port, Action<UplinkOptions>? configure = null)
    {
        var o = new UplinkOptions { Host = "127.0.0.1", Port = port, ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromMilliseconds(500), RetryDelay = TimeSpan.FromMilliseconds(200) };
        configure?.Invoke(o);
        return o;
    }

    public void Start() => _run = Uplink.RunAsync(_stop.Token);

    /// <summary>Appends <paramref name="count"/> readings of <paramref name="sensor"/> (keyed by sensor, so one partition).</summary>
    public async Task AppendAsync(string topic, string sensor, int count)
    {
        long seq = _sequences.GetValueOrDefault(sensor);
        var tasks = new List<Task<RecordPosition>>(count);
        var key = System.Text.Encoding.UTF8.GetBytes(sensor);
        for (int i = 0; i < count; i++)
        {
            var r = new Reading(sensor, topic == "health" ? ReadingKinds.HeartRate : ReadingKinds.TrafficVehicle, DateTimeOffset.UtcNow,
                [new ReadingValue("value", seq % 97 + 0.5, "1")], ReadingQuality.Simulated, seq++);
            tasks.Add(Log.AppendAsync(topic, new Edge.Log.Record(key, ReadingBinaryCodec.Encode(r), r.Timestamp.ToUnixTimeMilliseconds())).AsTask());
        }
        _sequences[sensor] = seq;
        await Task.WhenAll(tasks);
    }

    /// <summary>Every record in the log as its uplink key "gateway/topic/partition/offset-offset".</summary>
    public IReadOnlyList<(string Topic, int Partition, long Offset)> Stored()
    {
        var result = new List<(string, int, long)>();
        foreach (var t in Log.Topics.Where(t => t.Name is "traffic" or "health"))
            for (int p = 0; p < t.Partitions; p++)
                for (long o = Log.GetPartitionInfo(t.Name, p).LogStartOffset; ;)
                {
                    var read = Log.Read(t.Name, p, o);
                    if (read.Records.Count == 0) break;
                    result.AddRange(read.Records.Select(r => (t.Name, p, r.Offset)));
                    o = read.NextOffset;
                }
        return result;
    }

    /// <summary>Stops the uplink; it must stop within a bounded time (the host gives it 15 s on SIGTERM) whatever the broker does.</summary>
    public async Task StopAsync()
    {
        _stop.Cancel();
        if (_run is not null)
        {
            try
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException("the uplink did not stop within 30 s of its stop token");
            }
        }
        _run = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Uplink.DisposeAsync();
        Log.Dispose();
    }
}
