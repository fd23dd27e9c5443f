using System.Globalization;
using System.Text.Json;
using Edge.Readings;

namespace Edge.Local.Query;

/// <summary>
/// Parses a query payload strictly: a JSON object whose known fields have the documented types. An unknown field
/// is an error rather than ignored, so a misspelt "limt" does not silently return 100 readings.
/// </summary>
public static class QueryParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    public static QueryRequest Parse(ReadOnlySpan<byte> payload, int maxBytes)
    {
        if (payload.Length > maxBytes) throw new QueryException(QueryErrorCode.InvalidRequest, $"request is {payload.Length} bytes; the limit is {maxBytes}");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(payload.ToArray(), Options);
        }
        catch (JsonException e)
        {
            throw new QueryException(QueryErrorCode.MalformedJson, $"request is not valid JSON: {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new QueryException(QueryErrorCode.MalformedJson, $"request must be a JSON object, not {doc.RootElement.ValueKind}");
            try
            {
                return Read(doc.RootElement);
            }
            catch (InvalidOperationException e)
            {
                // Invalid UTF-8 inside a string is only detected when the string is read.
                throw new QueryException(QueryErrorCode.MalformedJson, $"request is not valid UTF-8 JSON: {e.Message}");
            }
        }
    }

    private static QueryRequest Read(JsonElement o)
    {
        string? op = null, sensor = null, topic = null, rule = null, cursor = null, replyTo = null, correlationId = null, format = null;
        int? partition = null, limit = null;
        long? from = null, to = null, fromOffset = null, toOffset = null, window = null;
        foreach (var p in o.EnumerateObject())
        {
            switch (p.Name)
            {
                case "op": op = String(p); break;
                case "sensor": sensor = String(p); break;
                case "topic": topic = String(p); break;
                case "rule": rule = String(p); break;
                case "partition": partition = (int)Integer(p, 0, int.MaxValue); break;
                case "from": from = Time(p); break;
                case "to": to = Time(p); break;
                case "fromOffset": fromOffset = Integer(p, 0, long.MaxValue); break;
                case "toOffset": toOffset = Integer(p, 0, long.MaxValue); break;
                case "limit" or "n": limit = (int)Integer(p, 1, int.MaxValue); break;
                case "cursor": cursor = String(p); break;
                case "window": window = Window(p); break;
                case "format":
                    format = String(p);
                    if (format is not (RangeFormat.Readings or RangeFormat.Columns))
                        throw new QueryException(QueryErrorCode.InvalidRequest, $"field 'format': '{format}' is not {RangeFormat.Readings} or {RangeFormat.Columns}");
                    break;
                case "replyTo": replyTo = String(p); break;
                case "correlationId":
                    correlationId = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.Number => p.Value.GetRawText(),
                        _ => throw Invalid(p, "a string or a number"),
                    };
                    break;
                default:
                    throw new QueryException(QueryErrorCode.InvalidRequest, $"unknown field '{p.Name}'; known: op, sensor, topic, rule, partition, from, to, fromOffset, toOffset, limit (or n), cursor, window, format, replyTo, correlationId");
            }
        }
        if (string.IsNullOrEmpty(op)) throw new QueryException(QueryErrorCode.InvalidRequest, "field 'op' is required: sensors, latest, range, stats, status, rules or alerts");
        return new QueryRequest
        {
            Op = op, Sensor = sensor, Topic = topic, Rule = rule, Partition = partition, From = from, To = to, FromOffset = fromOffset, ToOffset = toOffset,
            Limit = limit, Cursor = cursor, WindowMs = window, Format = format, ReplyTo = replyTo, CorrelationId = correlationId,
        };
    }

    private static string String(JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Invalid(p, "a string");

    private static long Integer(JsonProperty p, long min, long max)
    {
        if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out long v)) throw Invalid(p, "an integer");
        if (v < min || v > max) throw new QueryException(QueryErrorCode.InvalidRequest, $"field '{p.Name}' is {v}; it must be between {min} and {max}");
        return v;
    }

    private static readonly long MinMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    // Timestamps: ISO 8601 with an offset ("2026-11-29T08:00:00Z") or Unix milliseconds, within what a timestamp can
    // be (years 0001-9999), which also keeps every sum and difference of two of them inside a long.
    private static long Time(JsonProperty p)
    {
        if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out long ms))
            return ms >= MinMs && ms <= MaxMs ? ms
                : throw new QueryException(QueryErrorCode.BadRange, $"field '{p.Name}' is {ms} ms; a time must be between {MinMs} (0001-01-01) and {MaxMs} (9999-12-31) Unix milliseconds");
        if (p.Value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(p.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            return t.ToUnixTimeMilliseconds();
        throw new QueryException(QueryErrorCode.BadRange, $"field '{p.Name}' must be an ISO 8601 time (e.g. 2026-11-29T08:00:00Z) or Unix milliseconds, not {p.Value.GetRawText()}");
    }

    // Windows: seconds as a number, or a string in the duration syntax shared with the command lines
    // (Edge.Readings.DurationSyntax: "500ms", "30s", "5m", "1h", "1d", "90", "00:05:00").
    private static long Window(JsonProperty p)
    {
        if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out double s) && s > 0) return Math.Max(1, (long)(s * 1000));
        if (p.Value.ValueKind == JsonValueKind.String && DurationSyntax.TryParse(p.Value.GetString(), out var window))
            return (long)window.TotalMilliseconds;
        throw new QueryException(QueryErrorCode.BadRange, $"field 'window' must be a positive duration such as 30s, 5m, 1h or a number of seconds, not {p.Value.GetRawText()}");
    }

    private static QueryException Invalid(JsonProperty p, string expected) =>
        new(QueryErrorCode.InvalidRequest, $"field '{p.Name}' must be {expected}, not {p.Value.ValueKind.ToString().ToLowerInvariant()}");
}
