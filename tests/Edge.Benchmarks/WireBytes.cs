using System.Text;
using Edge.Log;
using Edge.Uplink;
using Edge.Uplink.Payload;

namespace Edge.Benchmarks;

/// <summary>
/// wire-bytes: bytes on the wire per reading for each payload format, encoded by the uplink's real encoders from
/// stored readings: typical traffic (3 loop-occupancy + 3 vehicle-event sensors interleaved in one partition) and
/// health (4 pulse oximeters), --readings per topic (default 10,000), batches of the default 500. Counted per message
/// as MQTT 5 sends it (§3.3): PUBLISH fixed header, topic, packet id, properties (content type and the six edge-*
/// user properties) and payload, plus the 4-byte PUBACK. disk_bytes holds the wire bytes, so the report's
/// "disk B/rec" column reads as wire bytes per reading. Target: binary batch at most 8 B/reading.
/// </summary>
internal static class WireBytes
{
    private const string Gateway = "edge-dev";

    public static List<Result> Run(BenchOptions opt)
    {
        int readings = opt.Readings > 0 ? (int)opt.Readings : 10_000;
        var results = new List<Result>();
        foreach (var (topic, sensors) in new[] { ("traffic", new[] { 0, 1, 2, 3, 4, 5 }), ("health", new[] { 6, 7, 8, 9 }) })
        {
            var records = Enumerable.Range(0, readings)
                .Select(i => BenchReadings.AsRecord(BenchReadings.Make(sensors[i % sensors.Length], i / sensors.Length), 0, i)).ToList();
            long stored = records.Sum(r => (long)r.Value!.Value.Length);
            foreach (var (format, name) in new[] { (PayloadFormat.Json, "json"), (PayloadFormat.JsonBatch, "json-batch"), (PayloadFormat.BinaryBatch, "binary-batch"), (PayloadFormat.RecordsBatch, "records-batch") })
            {
                var encoder = PayloadEncoder.Create(new UplinkOptions { Format = format }, Gateway);
                long wire = 0, payload = 0, messages = 0;
                for (int at = 0; at < records.Count;)
                {
                    var chunk = records.Skip(at).Take(5000).ToList();
                    foreach (var m in encoder.Encode(topic, chunk, int.MaxValue, out _))
                    {
                        wire += PublishBytes(m) + PubAckBytes;
                        payload += m.Payload.Length;
                        messages++;
                        at = (int)m.Last + 1;
                    }
                }
                results.Add(new Result
                {
                    name = $"wire-bytes-{name}-{topic}", run = opt.Run, unit = "readings", ops = messages, records = readings,
                    payload_bytes = payload, disk_bytes = wire, seconds = double.NaN,
                    durability = "n/a (encoding only)",
                    note = $"{(double)wire / readings:F2} B/reading on the wire (payload {(double)payload / readings:F2} B, MQTT {(double)(wire - payload) / readings:F2} B); "
                        + $"{messages} messages, {(double)readings / messages:F0} readings/message; stored binary reading {(double)stored / readings:F1} B",
                });
            }
        }
        return results;
    }

    private const int PubAckBytes = 4; // MQTT 5 §3.4: fixed header 2 + packet id 2; reason code omitted on success

    private static long PublishBytes(OutgoingMessage m)
    {
        long properties = 1 + 2 + Encoding.UTF8.GetByteCount(m.ContentType); // 0x03 content type
        foreach (var (k, v) in new[] { ("edge-key", m.Key.ToString()), ("edge-gateway", m.Key.Gateway), ("edge-topic", m.Key.Topic),
            ("edge-partition", m.Key.Partition.ToString()), ("edge-first", m.Key.First.ToString()), ("edge-last", m.Key.Last.ToString()) })
            properties += 1 + 2 + Encoding.UTF8.GetByteCount(k) + 2 + Encoding.UTF8.GetByteCount(v); // 0x26 user property
        long variable = 2 + Encoding.UTF8.GetByteCount(m.Topic) + 2 + VarintBytes(properties) + properties;
        long remaining = variable + m.Payload.Length;
        return 1 + VarintBytes(remaining) + remaining;
    }

    private static int VarintBytes(long v) => v < 128 ? 1 : v < 16_384 ? 2 : v < 2_097_152 ? 3 : 4;
}
