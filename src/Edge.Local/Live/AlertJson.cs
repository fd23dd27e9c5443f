using System.Buffers;
using System.Text.Json;
using Edge.Local.Status;

namespace Edge.Local.Live;

/// <summary>The JSON form of a rule's alert event (QUERY.md), shared by the alert topics and the alerts query.</summary>
public static class AlertJson
{
    /// <summary>Writes the alert's fields into the object being written.</summary>
    public static void WriteFields(Utf8JsonWriter w, RuleAlert a)
    {
        w.WriteString("rule", a.Rule);
        w.WriteString("key", a.Key);
        w.WriteString("state", a.State);
        w.WriteString("at", DateTimeOffset.FromUnixTimeMilliseconds(a.At));
        w.WriteNumber("episode", a.Episode);
        w.WriteNumber("episodeStart", a.EpisodeStart);
        w.WriteNumber("windowStart", a.WindowStart);
        w.WriteNumber("windowEnd", a.WindowEnd);
        w.WriteString("idempotencyKey", a.IdempotencyKey);
        w.WriteStartArray("values");
        foreach (var v in a.Values)
        {
            w.WriteStartObject();
            w.WriteString("name", v.Name);
            w.WriteNumber("value", v.Value);
            w.WriteString("unit", v.Unit);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static byte[] ToUtf8(RuleAlert a)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteFields(w, a);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
