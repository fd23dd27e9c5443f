using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Edge.Readings;

/// <summary>
/// The JSON form for people and MQTT consumers (READINGS.md §2):
/// <c>{"sensor":"hr-bed1","kind":"health.heart_rate","ts":"2026-11-25T04:40:00.1234567Z","seq":42,"quality":"ok",
/// "values":[{"name":"bpm","value":68,"unit":"bpm"}]}</c>. Every field is required, no other field is allowed,
/// numbers round-trip exactly. Thread-safe (stateless).
/// </summary>
public static class ReadingJsonCodec
{
    private static readonly string[] Fields = ["sensor", "kind", "ts", "seq", "quality", "values"];

    public static string Encode(Reading r) => Encoding.UTF8.GetString(EncodeUtf8(r));

    public static byte[] EncodeUtf8(Reading r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) Write(w, r);
        return stream.ToArray();
    }

    // Pre-encoded names and the quality words: this runs for every reading the uplink forwards as JSON.
    private static readonly JsonEncodedText Sensor = JsonEncodedText.Encode("sensor"), Kind = JsonEncodedText.Encode("kind"), Ts = JsonEncodedText.Encode("ts"),
        Seq = JsonEncodedText.Encode("seq"), Quality = JsonEncodedText.Encode("quality"), Values = JsonEncodedText.Encode("values"),
        Name = JsonEncodedText.Encode("name"), Value = JsonEncodedText.Encode("value"), Unit = JsonEncodedText.Encode("unit");

    private static readonly JsonEncodedText[] Qualities = [JsonEncodedText.Encode("ok"), JsonEncodedText.Encode("degraded"), JsonEncodedText.Encode("simulated")];

    /// <summary>Writes one reading as a JSON object (for envelopes that embed readings, such as the uplink's messages).</summary>
    public static void Write(Utf8JsonWriter w, Reading r)
    {
        w.WriteStartObject();
        w.WriteString(Sensor, r.SensorId);
        w.WriteString(Kind, r.Kind);
        Span<byte> ts = stackalloc byte[32];
        if (!r.Timestamp.UtcDateTime.TryFormat(ts, out int tsLength, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture))
            throw new InvalidOperationException("a timestamp does not fit 32 bytes"); // cannot happen: the format is 28 bytes
        w.WriteString(Ts, ts[..tsLength]);
        w.WriteNumber(Seq, r.Sequence);
        w.WriteString(Quality, (int)r.Quality < Qualities.Length ? Qualities[(int)r.Quality] : JsonEncodedText.Encode(r.Quality.ToString().ToLowerInvariant()));
        w.WriteStartArray(Values);
        foreach (var v in r.Values)
        {
            w.WriteStartObject();
            w.WriteString(Name, v.Name);
            w.WriteNumber(Value, v.Value);
            w.WriteString(Unit, v.Unit);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static Reading Decode(string json) => Decode(Encoding.UTF8.GetBytes(json));

    /// <summary>Parses one reading; malformed JSON or a missing, extra or mistyped field throws <see cref="ReadingFormatException"/> naming it.</summary>
    public static Reading Decode(ReadOnlySpan<byte> json)
    {
        try
        {
            return DecodeDocument(json);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json validates UTF-8 inside strings only when they are read: "Cannot transcode invalid UTF-8".
            throw new ReadingFormatException($"not valid UTF-8 JSON: {e.Message}");
        }
    }

    private static Reading DecodeDocument(ReadOnlySpan<byte> json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new ReadingFormatException($"not JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ReadingFormatException($"a reading is a JSON object, not {root.ValueKind}");
            foreach (var p in root.EnumerateObject())
                if (!Fields.Contains(p.Name)) throw new ReadingFormatException($"{p.Name}: unknown field (fields: {string.Join(", ", Fields)})");
            string sensor = Str(root, "sensor");
            string kind = Str(root, "kind");
            string tsText = Str(root, "ts");
            if (!DateTimeOffset.TryParseExact(tsText, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz"], CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out var ts))
                throw new ReadingFormatException($"ts: '{tsText}' is not an ISO 8601 time such as 2026-11-25T04:40:00.123Z");
            var seqEl = Get(root, "seq");
            if (seqEl.ValueKind != JsonValueKind.Number || !seqEl.TryGetInt64(out long seq)) throw new ReadingFormatException("seq: must be a whole number");
            string qualityText = Str(root, "quality");
            var quality = qualityText switch
            {
                "ok" => ReadingQuality.Ok,
                "degraded" => ReadingQuality.Degraded,
                "simulated" => ReadingQuality.Simulated,
                _ => throw new ReadingFormatException($"quality: '{qualityText}' is not ok, degraded or simulated"),
            };
            var valuesEl = Get(root, "values");
            if (valuesEl.ValueKind != JsonValueKind.Array) throw new ReadingFormatException("values: must be an array");
            var values = new List<ReadingValue>();
            int i = 0;
            foreach (var v in valuesEl.EnumerateArray())
            {
                if (v.ValueKind != JsonValueKind.Object) throw new ReadingFormatException($"values[{i}]: must be an object with name, value and unit");
                foreach (var p in v.EnumerateObject())
                    if (p.Name is not ("name" or "value" or "unit")) throw new ReadingFormatException($"values[{i}].{p.Name}: unknown field (fields: name, value, unit)");
                var num = Get(v, "value", $"values[{i}].");
                if (num.ValueKind != JsonValueKind.Number || !num.TryGetDouble(out double d)) throw new ReadingFormatException($"values[{i}].value: must be a number");
                values.Add(new ReadingValue(Str(v, "name", $"values[{i}]."), d, Str(v, "unit", $"values[{i}].")));
                i++;
                if (i > Reading.MaxValues) throw new ReadingFormatException($"values: more than {Reading.MaxValues} values");
            }
            return new Reading(sensor, kind, ts, values, quality, seq);
        }
    }

    private static JsonElement Get(JsonElement obj, string name, string prefix = "") =>
        obj.TryGetProperty(name, out var el) ? el : throw new ReadingFormatException($"{prefix}{name}: missing");

    private static string Str(JsonElement obj, string name, string prefix = "")
    {
        var el = Get(obj, name, prefix);
        return el.ValueKind == JsonValueKind.String ? el.GetString()! : throw new ReadingFormatException($"{prefix}{name}: must be a string, not {el.ValueKind}");
    }
}
