using System.Globalization;
using System.Text;
using Edge.Log;

namespace Edge.Uplink.Forwarding;

/// <summary>
/// Parks readings the broker will never take in the log's dead-letter topic, unchanged, with headers saying where
/// they came from and why ("edge-reason", "edge-topic", "edge-partition", "edge-offset"), so nothing is dropped
/// silently and an operator can inspect or replay them. Offsets whose stored bytes are corrupt cannot be copied: one
/// dead letter without a value names them instead ("edge-offset" to "edge-last-offset", UPLINK.md §7).
/// </summary>
public sealed class DeadLetters(EdgeLog log, string topic)
{
    public string Topic => topic;

    public async Task ParkAsync(string sourceTopic, IReadOnlyList<LogRecord> records, string reason, CancellationToken cancellationToken)
    {
        var appends = new List<Task<RecordPosition>>(records.Count);
        foreach (var r in records)
        {
            RecordHeader[] headers =
            [
                new("edge-reason", Encoding.UTF8.GetBytes(reason)),
                new("edge-topic", Encoding.UTF8.GetBytes(sourceTopic)),
                new("edge-partition", Encoding.UTF8.GetBytes(r.Partition.ToString(CultureInfo.InvariantCulture))),
                new("edge-offset", Encoding.UTF8.GetBytes(r.Offset.ToString(CultureInfo.InvariantCulture))),
            ];
            appends.Add(log.AppendAsync(topic, new Record(r.Key?.ToArray(), r.Value?.ToArray(), r.Timestamp, headers), 0, cancellationToken).AsTask());
        }
        await Task.WhenAll(appends).ConfigureAwait(false);
    }

    /// <summary>Records that the offsets of <paramref name="range"/> could not be read from the log (and so were never sent).</summary>
    public async Task ParkUnreadableAsync(TopicPartition source, CorruptRange range, CancellationToken cancellationToken)
    {
        RecordHeader[] headers =
        [
            new("edge-reason", Encoding.UTF8.GetBytes($"unreadable: corrupt batch in {range.File} at byte {range.Position}: {range.Reason}")),
            new("edge-topic", Encoding.UTF8.GetBytes(source.Topic)),
            new("edge-partition", Encoding.UTF8.GetBytes(source.Partition.ToString(CultureInfo.InvariantCulture))),
            new("edge-offset", Encoding.UTF8.GetBytes(range.FirstOffset.ToString(CultureInfo.InvariantCulture))),
            new("edge-last-offset", Encoding.UTF8.GetBytes((range.NextOffset - 1).ToString(CultureInfo.InvariantCulture))),
        ];
        await log.AppendAsync(topic, new Record(null, null, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), headers), 0, cancellationToken).ConfigureAwait(false);
    }
}
