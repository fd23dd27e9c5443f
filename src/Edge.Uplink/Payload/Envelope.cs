using System.Text.Json;

namespace Edge.Uplink.Payload;

/// <summary>The idempotency fields every JSON message starts with.</summary>
internal static class Envelope
{
    private static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("key"), Gateway = JsonEncodedText.Encode("gateway"), Topic = JsonEncodedText.Encode("topic"),
        Partition = JsonEncodedText.Encode("partition"), First = JsonEncodedText.Encode("first"), Last = JsonEncodedText.Encode("last");

    public static void WriteKey(Utf8JsonWriter w, IdempotencyKey key)
    {
        // The key's text is formatted into a stack buffer: one string less per message.
        Span<byte> text = stackalloc byte[IdempotencyKey.MaxStackUtf8];
        if (key.TryFormatUtf8(text, out int length)) w.WriteString(KeyName, text[..length]);
        else w.WriteString(KeyName, key.ToString());
        w.WriteString(Gateway, key.Gateway);
        w.WriteString(Topic, key.Topic);
        w.WriteNumber(Partition, key.Partition);
        w.WriteNumber(First, key.First);
        w.WriteNumber(Last, key.Last);
    }
}
