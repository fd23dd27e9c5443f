using System.Text.Json;

namespace Edge.Uplink.Payload;

/// <summary>The idempotency fields every JSON message starts with.</summary>
internal static class Envelope
{
    public static void WriteKey(Utf8JsonWriter w, IdempotencyKey key)
    {
        w.WriteString("key", key.ToString());
        w.WriteString("gateway", key.Gateway);
        w.WriteString("topic", key.Topic);
        w.WriteNumber("partition", key.Partition);
        w.WriteNumber("first", key.First);
        w.WriteNumber("last", key.Last);
    }
}
