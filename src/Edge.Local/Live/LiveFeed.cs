using System.Threading.Channels;
using Edge.Readings;
using MQTTnet;

namespace Edge.Local.Live;

/// <summary>
/// Live readings for dashboards on <c>edge/&lt;id&gt;/live/&lt;topic&gt;/&lt;sensorId&gt;</c>, produced only while some
/// client's subscription matches: with nobody watching, <see cref="Offer"/> is one volatile read. The queue towards
/// the broker is bounded and drops the oldest reading when a slow dashboard falls behind — live data is a view, the
/// log is the record, so sampling must never wait for it.
/// </summary>
public sealed class LiveFeed(LocalTopics topics)
{
    private readonly Dictionary<string, Dictionary<string, int>> _filters = new(StringComparer.Ordinal);
    private readonly Channel<LiveMessage> _queue = Channel.CreateBounded<LiveMessage>(
        new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private volatile int _count;
    private long _dropped;

    public ChannelReader<LiveMessage> Messages => _queue.Reader;

    public bool HasSubscribers => _count > 0;

    /// <summary>Raised after the set of live subscriptions changed.</summary>
    public event Action? SubscriptionsChanged;

    /// <summary>Called by the sensor pipeline (and ingest) after a reading is stored.</summary>
    public void Offer(string topic, Reading reading)
    {
        if (_count == 0) return;
        string mqttTopic = topics.Live(topic, reading.SensorId);
        if (!Wanted(mqttTopic)) return;
        if (!_queue.Writer.TryWrite(new LiveMessage(mqttTopic, ReadingJsonCodec.EncodeUtf8(reading)))) Interlocked.Increment(ref _dropped);
    }

    /// <summary>Records a client's subscription if it can match a live topic.</summary>
    public void Subscribed(string clientId, string filter)
    {
        if (!CanMatchLive(filter)) return;
        lock (_filters)
        {
            if (!_filters.TryGetValue(clientId, out var mine)) _filters[clientId] = mine = new(StringComparer.Ordinal);
            mine[filter] = 1;
            _count = _filters.Sum(f => f.Value.Count);
        }
        SubscriptionsChanged?.Invoke();
    }

    public void Unsubscribed(string clientId, string filter)
    {
        lock (_filters)
        {
            if (_filters.TryGetValue(clientId, out var mine) && mine.Remove(filter) && mine.Count == 0) _filters.Remove(clientId);
            _count = _filters.Sum(f => f.Value.Count);
        }
        SubscriptionsChanged?.Invoke();
    }

    public void Disconnected(string clientId)
    {
        lock (_filters)
        {
            _filters.Remove(clientId);
            _count = _filters.Sum(f => f.Value.Count);
        }
        SubscriptionsChanged?.Invoke();
    }

    private bool Wanted(string mqttTopic)
    {
        lock (_filters)
            return _filters.Values.Any(f => f.Keys.Any(filter => MqttTopicFilterComparer.Compare(mqttTopic, filter) == MqttTopicFilterCompareResult.IsMatch));
    }

    // A filter can match live topics when it matches a sample live topic with wildcard-free levels replaced: cheap
    // enough to do per subscription, and "#", "edge/+/live/#" or an exact sensor topic all count.
    private bool CanMatchLive(string filter)
    {
        if (filter.StartsWith(topics.LivePrefix, StringComparison.Ordinal)) return true;
        var levels = filter.Split('/');
        var root = topics.LivePrefix.TrimEnd('/').Split('/');
        for (int i = 0; i < levels.Length; i++)
        {
            if (levels[i] == "#") return true;
            if (i >= root.Length) return true;
            if (levels[i] != "+" && levels[i] != root[i]) return false;
        }
        return false;
    }
}
