using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Edge.Local.Status;
using Edge.Log;
using Edge.Readings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Local.Live;

/// <summary>
/// The stream rules' alerts on <c>edge/&lt;id&gt;/alerts/&lt;rule&gt;/&lt;key&gt;</c>, each published retained
/// (QUERY.md "Alert topics"), read from the alert topic of the log: data flows rules → log → this feed, so a
/// subscriber sees only alerts that are durable, and one that subscribes later gets each key's current state from the
/// broker's retained message (MQTT 3.1.1 §3.3.1.3: the newest retained message per topic is delivered on subscribe).
/// Unlike live readings the feed runs whether or not anyone subscribes, because the retained state must be current
/// when someone does. On start it replays the topic (alerts are few: STREAMS.md §5) and yields only each key's newest
/// event, then follows the tail, yielding every event as it becomes durable.
/// </summary>
public sealed class AlertFeed(EdgeLog log, LocalTopics topics, string alertTopic, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>The log topic followed (Streams:AlertTopic).</summary>
    public string AlertTopic => alertTopic;

    /// <summary>
    /// The retained messages to publish, oldest first, until <paramref name="ct"/> is cancelled or the log closes.
    /// One reader; the tails wait for the publisher (the log keeps what is not yet published).
    /// </summary>
    public async IAsyncEnumerable<LiveMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken ct)
    {
        if (!log.Topics.Any(t => t.Name == alertTopic))
        {
            _logger.LogWarning("alert topics: the alert topic '{Topic}' does not exist in the log; no alerts are published", alertTopic);
            yield break;
        }
        var merged = Channel.CreateBounded<LiveMessage>(new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var followers = Enumerable.Range(0, log.GetTopic(alertTopic).Partitions).Select(p => FollowAsync(p, merged.Writer, stop.Token)).ToArray();
        _ = Task.WhenAll(followers).ContinueWith(_ => merged.Writer.TryComplete(), TaskScheduler.Default);
        try
        {
            await foreach (var m in merged.Reader.ReadAllAsync(ct).ConfigureAwait(false)) yield return m;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task FollowAsync(int partition, ChannelWriter<LiveMessage> output, CancellationToken ct)
    {
        try
        {
            // The history up to now: only the newest event of each rule and key matters to a retained topic.
            long end = log.GetPartitionInfo(alertTopic, partition).HighWatermark;
            var newest = new Dictionary<string, LiveMessage>(StringComparer.Ordinal);
            long next = log.GetPartitionInfo(alertTopic, partition).LogStartOffset;
            while (next < end)
            {
                var read = log.Read(alertTopic, partition, next);
                foreach (var record in read.Records)
                    if (record.Offset < end && ToMessage(partition, record) is { } m) newest[m.Topic] = m;
                if (read.NextOffset <= next) break;
                next = read.NextOffset;
            }
            foreach (var m in newest.Values) await output.WriteAsync(m, ct).ConfigureAwait(false);
            await foreach (var record in log.TailAsync(alertTopic, partition, end, ct).ConfigureAwait(false))
                if (ToMessage(partition, record) is { } m) await output.WriteAsync(m, ct).ConfigureAwait(false);
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
            _logger.LogWarning("alert topics: following {Topic}/{Partition} stopped: {Error}", alertTopic, partition, e.Message);
        }
    }

    private LiveMessage? ToMessage(int partition, in LogRecord record)
    {
        RuleAlert? alert;
        try
        {
            alert = ReadingRecord.ToReading(record) is { } reading ? RuleAlert.FromReading(reading) : null;
        }
        catch (ReadingFormatException e)
        {
            // Only the rules write here; a record that is not a reading is skipped and left in the log for the record.
            _logger.LogDebug("alert topics: {Topic}/{Partition}@{Offset} is not a reading: {Error}", alertTopic, partition, record.Offset, e.Message);
            return null;
        }
        return alert is null ? null : new LiveMessage(topics.Alert(alert.Rule, alert.Key), AlertJson.ToUtf8(alert));
    }
}
