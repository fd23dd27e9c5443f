using System.Text;
using System.Text.Json.Nodes;
using Edge.Log;

namespace Edge.Streams.Hosting;

/// <summary>
/// The engine's checkpoint record in the compacted internal topic (STREAMS.md §6): key "checkpoint", value UTF-8 JSON
/// {"version":1,"engine":{...},"outputs":{"alerts/0":17,...}} — the engine's state with its input offsets, and the end
/// of every output partition when it was taken. One record, so the log's batch CRC makes it all-or-nothing.
/// </summary>
internal static class Checkpoint
{
    public const int Version = 1;
    public static readonly byte[] Key = "checkpoint"u8.ToArray();

    public static byte[] Encode(JsonObject engine, IReadOnlyDictionary<TopicPartition, long> outputs)
    {
        var o = new JsonObject();
        foreach (var (tp, end) in outputs) o[tp.ToString()] = end;
        var doc = new JsonObject { ["version"] = Version, ["engine"] = engine, ["outputs"] = o };
        return Encoding.UTF8.GetBytes(doc.ToJsonString());
    }

    /// <summary>The newest checkpoint in <paramref name="topic"/>, or null when there is none.</summary>
    public static (JsonObject Engine, Dictionary<TopicPartition, long> Outputs)? Load(EdgeLog log, string topic)
    {
        var info = log.GetPartitionInfo(topic, 0);
        byte[]? newest = null;
        long offset = info.LogStartOffset;
        while (offset < info.HighWatermark)
        {
            var r = log.Read(topic, 0, offset);
            foreach (var rec in r.Records)
                if (rec.Key is { } k && k.Span.SequenceEqual(Key) && rec.Value is { } v) newest = v.ToArray();
            if (r.NextOffset <= offset) break;
            offset = r.NextOffset;
        }
        if (newest is null) return null;
        var doc = JsonNode.Parse(newest)?.AsObject() ?? throw new InvalidDataException($"topic {topic}: the checkpoint is not a JSON object");
        if ((int?)doc["version"] != Version)
            throw new InvalidDataException($"topic {topic}: checkpoint version {doc["version"]} is not {Version}; delete the topic's directory to start the rules afresh");
        var outputs = new Dictionary<TopicPartition, long>();
        foreach (var (name, end) in doc["outputs"]!.AsObject())
        {
            int slash = name.LastIndexOf('/');
            outputs[new TopicPartition(name[..slash], int.Parse(name[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture))] = (long)end!;
        }
        return (doc["engine"]!.AsObject(), outputs);
    }
}
