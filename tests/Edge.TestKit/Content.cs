using System.Text.Json;
using Edge.Log;
using Edge.Readings;
using Edge.Uplink.Payload;

namespace Edge.TestKit;

/// <summary>
/// What the cloud received, reading by reading, against what the log stores at the same offsets: the envelope checks
/// in <see cref="Delivery"/> would pass with every reading's content wrong.
/// </summary>
public static class Content
{
    /// <summary>Every reading of every user topic in <paramref name="log"/>, by (topic, partition, offset).</summary>
    public static Dictionary<(string Topic, int Partition, long Offset), Reading> Stored(EdgeLog log)
    {
        var result = new Dictionary<(string, int, long), Reading>();
        foreach (var t in log.Topics.Where(t => !t.Name.StartsWith('_') && t.Name != "deadletter"))
            for (int p = 0; p < t.Partitions; p++)
                for (long o = log.GetPartitionInfo(t.Name, p).LogStartOffset; ;)
                {
                    var read = log.Read(t.Name, p, o);
                    if (read.Records.Count == 0) break;
                    foreach (var r in read.Records) result[(t.Name, p, r.Offset)] = ReadingBinaryCodec.Decode(r.Value!.Value.Span);
                    o = read.NextOffset;
                }
        return result;
    }

    /// <summary>
    /// The readings a message carries and the log position of the first, whatever the payload format: a JSON payload
    /// (UPLINK.md §3.1 one reading, §3.2 a batch of rows, <see cref="JsonBatchReader"/>) is read from its text; an "ER" records batch (§3.4) goes to its
    /// reference decoder; anything else to the batch codec, the reference decoder of the columnar format (§3.3).
    /// </summary>
    public static (string Topic, int Partition, long First, long Last, IReadOnlyList<Reading> Readings) Decode(Received m)
    {
        if (m.Payload.Length > 0 && m.Payload[0] == (byte)'{')
        {
            var j = m.Json;
            IReadOnlyList<Reading> readings = j.TryGetProperty("reading", out var one)
                ? [FromJson(one)]
                : JsonBatchReader.Readings(j);
            if (j.TryGetProperty("count", out var count)) Assert.Equal(readings.Count, count.GetInt32());
            return (m.LogTopic, m.Partition, m.First, m.Last, readings);
        }
        if (m.Payload.Length > 1 && m.Payload[0] == (byte)'E' && m.Payload[1] == (byte)'R')
        {
            var (erKey, erReadings, _) = RecordsBatchDecoder.Decode(m.Payload);
            return (erKey.Topic, erKey.Partition, erKey.First, erKey.Last, erReadings);
        }
        var (key, decoded) = BinaryBatchCodec.Decode(m.Payload);
        return (key.Topic, key.Partition, key.First, key.Last, decoded);
    }

    /// <summary>
    /// Reading <c>i</c> of every message equals, field by field and bit for bit, the reading stored at offset
    /// <c>first + i</c> (UPLINK.md §3.2: batches never span a gap). Returns the number of readings compared.
    /// </summary>
    public static int AssertMatchesLog(IEnumerable<Received> messages, IReadOnlyDictionary<(string Topic, int Partition, long Offset), Reading> stored, string gateway)
    {
        int compared = 0;
        foreach (var m in messages)
        {
            var (topic, partition, first, last, readings) = Decode(m);
            Assert.True(last - first + 1 == readings.Count, $"{m.Topic}: offsets {first}-{last} but {readings.Count} readings");
            if (m.Payload[0] == (byte)'{') Assert.Equal(gateway, m.Json.GetProperty("gateway").GetString());
            for (int i = 0; i < readings.Count; i++)
            {
                var at = (topic, partition, first + i);
                Assert.True(stored.TryGetValue(at, out var expected), $"{m.Topic}: {at} was delivered but the log has no reading there");
                AssertSame(expected!, readings[i], $"{topic}/{partition} offset {first + i} ({m.Topic})");
                compared++;
            }
        }
        return compared;
    }

    /// <summary>Equal in every field; values compared by their IEEE 754 bits (so 0 and −0 differ, as on disk).</summary>
    public static void AssertSame(Reading expected, Reading actual, string where)
    {
        string Describe(Reading r) =>
            $"{r.SensorId} {r.Kind} {r.Timestamp.UtcTicks} seq {r.Sequence} {r.Quality} [{string.Join(", ", r.Values.Select(v => $"{v.Name}={v.Value:R} {v.Unit}"))}]";
        bool same = expected.SensorId == actual.SensorId && expected.Kind == actual.Kind && expected.Timestamp.UtcTicks == actual.Timestamp.UtcTicks
            && expected.Sequence == actual.Sequence && expected.Quality == actual.Quality && expected.Values.Count == actual.Values.Count
            && expected.Values.Zip(actual.Values).All(p => p.First.Name == p.Second.Name && p.First.Unit == p.Second.Unit
                && BitConverter.DoubleToInt64Bits(p.First.Value) == BitConverter.DoubleToInt64Bits(p.Second.Value));
        Assert.True(same, $"{where}: delivered {Describe(actual)}\n  but the log stores {Describe(expected)}");
    }

    private static Reading FromJson(JsonElement e) => ReadingJsonCodec.Decode(JsonSerializer.SerializeToUtf8Bytes(e));
}
