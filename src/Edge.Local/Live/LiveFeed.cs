using System.Threading.Channels;
using Edge.Log;
using Edge.Readings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;

namespace Edge.Local.Live;

/// <summary>
/// Live readings for dashboards on <c>edge/&lt;id&gt;/live/&lt;topic&gt;/&lt;sensorId&gt;</c>, read from the log's tail:
/// data flows producers → log → every consumer, so whatever stores a reading (the sensor pipeline, ingest, a later
/// producer) reaches dashboards without knowing they exist, and a dashboard never sees what the log does not have
/// (a tail yields only durable records). The tails run only while some client's subscription can match a live
/// topic — from the end of the log at that moment, one per partition of each reading topic — and each waits on the
/// log's flusher signal, so an idle feed costs no CPU. The queue towards the broker is bounded and drops the oldest
/// reading when a slow dashboard falls behind: live data is a view, the log is the record.
/// </summary>
public sealed class LiveFeed : IDisposable
{
    private readonly EdgeLog _log;
    private readonly LocalTopics _topics;
    private readonly IReadOnlyCollection<string> _readingTopics;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Dictionary<string, int>> _filters = new(StringComparer.Ordinal);
    private readonly Channel<LiveMessage> _queue = Channel.CreateBounded<LiveMessage>(
        new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private CancellationTokenSource? _tails; // non-null while tails run; guarded by _filters
    private volatile int _count;
    private bool _disposed;

    /// <param name="readingTopics">The log topics that hold readings (Log:Topics without internal and dead-letter topics): what is tailed.</param>
    public LiveFeed(EdgeLog log, LocalTopics topics, IReadOnlyCollection<string> readingTopics, ILogger? logger = null)
    {
        (_log, _topics, _readingTopics, _logger) = (log, topics, readingTopics, logger ?? NullLogger.Instance);
    }

    public ChannelReader<LiveMessage> Messages => _queue.Reader;

    public bool HasSubscribers => _count > 0;

    /// <summary>True while the feed follows the log (some subscription can match a live topic).</summary>
    public bool IsTailing
    {
        get { lock (_filters) return _tails is not null; }
    }

    /// <summary>Raised after the set of live subscriptions changed.</summary>
    public event Action? SubscriptionsChanged;

    /// <summary>Records a client's subscription if it can match a live topic.</summary>
    public void Subscribed(string clientId, string filter)
    {
        if (!CanMatchLive(filter)) return;
        lock (_filters)
        {
            if (!_filters.TryGetValue(clientId, out var mine)) _filters[clientId] = mine = new(StringComparer.Ordinal);
            mine[filter] = 1;
            Changed();
        }
        SubscriptionsChanged?.Invoke();
    }

    public void Unsubscribed(string clientId, string filter)
    {
        lock (_filters)
        {
            if (_filters.TryGetValue(clientId, out var mine) && mine.Remove(filter) && mine.Count == 0) _filters.Remove(clientId);
            Changed();
        }
        SubscriptionsChanged?.Invoke();
    }

    public void Disconnected(string clientId)
    {
        lock (_filters)
        {
            _filters.Remove(clientId);
            Changed();
        }
        SubscriptionsChanged?.Invoke();
    }

    /// <summary>Stops the tails; the log stays open (its owner closes it).</summary>
    public void Dispose()
    {
        lock (_filters)
        {
            _disposed = true;
            StopTails();
        }
    }

    // Under _filters. The start offsets are read here, before the subscription is acknowledged: a reading stored after
    // a client's SUBACK is always in its feed.
    private void Changed()
    {
        _count = _filters.Sum(f => f.Value.Count);
        if (_count == 0) StopTails();
        else if (_tails is null && !_disposed) StartTails();
    }

    private void StartTails()
    {
        var cts = new CancellationTokenSource();
        _tails = cts;
        foreach (var topic in _log.UserTopics.Where(t => _readingTopics.Contains(t.Name)))
        {
            for (int p = 0; p < topic.Partitions; p++)
            {
                long from = _log.GetPartitionInfo(topic.Name, p).HighWatermark;
                _ = FollowAsync(topic.Name, p, from, cts.Token);
            }
        }
    }

    private void StopTails()
    {
        if (_tails is null) return;
        _tails.Cancel();
        _tails.Dispose();
        _tails = null;
    }

    private async Task FollowAsync(string topic, int partition, long from, CancellationToken ct)
    {
        try
        {
            await foreach (var record in _log.TailAsync(topic, partition, from, ct).ConfigureAwait(false))
            {
                if (_count == 0) return;
                Publish(topic, record);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // The log closed (the gateway is stopping): nothing more will be stored.
        }
        catch (LogException e)
        {
            _logger.LogWarning("live feed of {Topic}/{Partition} stopped: {Error}", topic, partition, e.Message);
        }
    }

    private void Publish(string topic, in LogRecord record)
    {
        Reading? reading;
        try
        {
            reading = ReadingRecord.ToReading(record);
        }
        catch (ReadingFormatException e)
        {
            // Not a reading (producers store nothing else in reading topics): skip it, the log keeps it for the record.
            _logger.LogDebug("live feed: {Topic}/{Partition}@{Offset} is not a reading: {Error}", topic, record.Partition, record.Offset, e.Message);
            return;
        }
        if (reading is null) return;
        string mqttTopic = _topics.Live(topic, reading.SensorId);
        if (Wanted(mqttTopic)) _queue.Writer.TryWrite(new LiveMessage(mqttTopic, ReadingJsonCodec.EncodeUtf8(reading)));
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
        if (filter.StartsWith(_topics.LivePrefix, StringComparison.Ordinal)) return true;
        var levels = filter.Split('/');
        var root = _topics.LivePrefix.TrimEnd('/').Split('/');
        for (int i = 0; i < levels.Length; i++)
        {
            if (levels[i] == "#") return true;
            if (i >= root.Length) return true;
            if (levels[i] != "+" && levels[i] != root[i]) return false;
        }
        return false;
    }
}
