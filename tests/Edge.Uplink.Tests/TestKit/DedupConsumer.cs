using System.Text.Json;

namespace Edge.Uplink.Tests.TestKit;

/// <summary>
/// A cloud consumer that stores readings exactly as UPLINK.md §4 tells one to, applied to messages in the order they
/// arrived. Each message's readings are offsets first..last of one partition (reading i at first + i).
/// </summary>
public static class DedupConsumer
{
    /// <summary>
    /// The documented rule: a reading's identity is (gateway, topic, partition, offset); store it unless that identity
    /// is already stored (a unique key, INSERT ... ON CONFLICT DO NOTHING).
    /// </summary>
    public static IReadOnlyList<StoredReading> Store(IEnumerable<Received> arrivals)
    {
        var seen = new HashSet<(string, string, int, long)>();
        var stored = new List<StoredReading>();
        foreach (var m in arrivals)
            foreach (var r in Readings(m))
                if (seen.Add((r.Gateway, r.Topic, r.Partition, r.Offset))) stored.Add(r);
        return stored;
    }

    /// <summary>
    /// The rule UPLINK.md §4 gave before issue 10: per partition, drop a message whose last offset is ≤ the highest
    /// stored; otherwise store its offsets above that and raise it. Kept to show what it loses.
    /// </summary>
    public static IReadOnlyList<StoredReading> StoreByHighWaterMark(IEnumerable<Received> arrivals)
    {
        var highest = new Dictionary<(string, string, int), long>();
        var stored = new List<StoredReading>();
        foreach (var m in arrivals)
        {
            var readings = Readings(m);
            var partition = (m.Json.GetProperty("gateway").GetString()!, m.LogTopic, m.Partition);
            long high = highest.GetValueOrDefault(partition, -1);
            if (m.Last <= high) continue;
            stored.AddRange(readings.Where(r => r.Offset > high));
            highest[partition] = m.Last;
        }
        return stored;
    }

    private static List<StoredReading> Readings(Received m)
    {
        string gateway = m.Json.GetProperty("gateway").GetString()!;
        var list = new List<StoredReading>();
        if (m.Json.TryGetProperty("readings", out _))
        {
            long offset = m.First;
            foreach (var r in JsonBatchReader.Readings(m.Json)) list.Add(new StoredReading(gateway, m.LogTopic, m.Partition, offset++, r.SensorId, r.Sequence));
        }
        else
        {
            var r = m.Json.GetProperty("reading");
            list.Add(new StoredReading(gateway, m.LogTopic, m.Partition, m.First, r.GetProperty("sensor").GetString()!, r.GetProperty("seq").GetInt64()));
        }
        return list;
    }
}

/// <summary>A reading as the consumer stored it: its identity and enough of its content to check it is the right one.</summary>
public sealed record StoredReading(string Gateway, string Topic, int Partition, long Offset, string Sensor, long Seq);
