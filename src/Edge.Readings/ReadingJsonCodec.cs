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

    // Pre-encoded names and the timestamp written from a stack buffer: queries and the uplink write thousands of
    // readings per reply or batch, and formatting the time and quality as strings was most of the cost.
    private static readonly JsonEncodedText SensorName = JsonEncodedText.Encode("sensor");
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText TsName = JsonEncodedText.Encode("ts");
    private static readonly JsonEncodedText SeqName = JsonEncodedText.Encode("seq");
    private static readonly JsonEncodedText QualityName = JsonEncodedText.Encode("quality");
    private static readonly JsonEncodedText ValuesName = JsonEncodedText.Encode("values");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText UnitName = JsonEncodedText.Encode("unit");
    private static readonly JsonEncodedText Ok = JsonEncodedText.Encode("ok");
    private static readonly JsonEncodedText Degraded = JsonEncodedText.Encode("degraded");
    private static readonly JsonEncodedText Simulated = JsonEncodedText.Encode("simulated");

    // Below 1e15 a whole double prints as its digits (shortest round-trip switches to exponents at 1e15); -0 prints "-0".
    internal static bool IsPlainInteger(double v) =>
        Math.Abs(v) < 1e15 && v == Math.Floor(v) && !(v == 0 && double.IsNegative(v));

    /// <summary>Writes one reading as a JSON object (for envelopes that embed readings, such as the uplink's messages).</summary>
    public static void Write(Utf8JsonWriter w, Reading r)
    {
        Span<byte> ts = stackalloc byte[IsoTimestamp.Length];
        IsoTimestamp.Write(r.Timestamp.UtcDateTime, ts);
        w.WriteStartObject();
        w.WriteString(SensorName, r.SensorId);
        w.WriteString(KindName, r.Kind);
        WriteRest(w, ts, r.Sequence, r.Quality);
        for (int i = 0; i < r.Values.Count; i++) // indexing: foreach over the interface would allocate an enumerator
        {
            var v = r.Values[i];
            w.WriteStartObject();
            w.WriteString(NameName, v.Name);
            WriteValueNumber(w, v.Value);
            w.WriteString(UnitName, v.Unit);
            w.WriteEndObject();
        }
        WriteTail(w);
    }

    // The pieces StoredReading.WriteJson uses to write the same bytes from a stored reading's UTF-8 fields.
    internal static void WriteHead(Utf8JsonWriter w, ReadOnlySpan<byte> sensor, ReadOnlySpan<byte> kind, ReadOnlySpan<byte> ts, long seq, ReadingQuality quality)
    {
        w.WriteStartObject();
        w.WriteString(SensorName, sensor);
        w.WriteString(KindName, kind);
        WriteRest(w, ts, seq, quality);
    }

    internal static void WriteValue(Utf8JsonWriter w, ReadOnlySpan<byte> name, double value, ReadOnlySpan<byte> unit)
    {
        w.WriteStartObject();
        w.WriteString(NameName, name);
        WriteValueNumber(w, value);
        w.WriteString(UnitName, unit);
        w.WriteEndObject();
    }

    internal static void WriteTail(Utf8JsonWriter w)
    {
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRest(Utf8JsonWriter w, ReadOnlySpan<byte> ts, long seq, ReadingQuality quality)
    {
        w.WriteString(TsName, ts);
        w.WriteNumber(SeqName, seq);
        switch (quality)
        {
            case ReadingQuality.Ok: w.WriteString(QualityName, Ok); break;
            case ReadingQuality.Degraded: w.WriteString(QualityName, Degraded); break;
            case ReadingQuality.Simulated: w.WriteString(QualityName, Simulated); break;
            default: w.WriteString(QualityName, quality.ToString().ToLowerInvariant()); break;
        }
        w.WriteStartArray(ValuesName);
    }

    // Whole numbers (counts, percentages) skip the shortest-round-trip double formatting; the text is the same.
    private static void WriteValueNumber(Utf8JsonWriter w, double value)
    {
        if (IsPlainInteger(value)) w.WriteNumber(ValueName, (long)value);
        else w.WriteNumber(ValueName, value);
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
