using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Edge.Local.Status;
using Edge.Log;
using Edge.Readings;
using Microsoft.Extensions.Logging;

namespace Edge.Local.Query;

/// <summary>
/// Answers queries (QUERY.md): <c>sensors</c>, <c>latest</c>, <c>range</c> (paged with a cursor), <c>stats</c>,
/// <c>status</c>, <c>rules</c> and <c>alerts</c> (paged like range). Replies are JSON, <c>{"ok":true,...}</c> or <c>{"ok":false,"error":{"code","message"}}</c>;
/// every refusal has a documented code. Transport-independent: the broker hands it bytes and sends back bytes.
/// </summary>
public sealed class QueryService(EdgeLog log, SensorDirectory sensors, StatusWriter status, QueryOptions options, IngestCounters counters, ILogger logger, IRulesView? rules = null)
{
    private readonly ReadingScanner _scanner = new(log);

    public QueryOptions Options => options;

    /// <summary>
    /// Answers a request already parsed (its correlation id is echoed when given). Never throws: a fault of ours is
    /// logged and answered with <c>internal</c>, so every request gets a reply and a transport that acknowledges after
    /// the reply (Broker:Mode Client) never sees the same request redelivered for ever.
    /// </summary>
    public ReadOnlySequence<byte> Answer(QueryRequest request)
    {
        counters.Query();
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return Reply(request.CorrelationId, w =>
            {
                w.WriteBoolean("ok", true);
                w.WriteString("op", request.Op);
                switch (request.Op)
                {
                    case "sensors": Sensors(w); break;
                    case "latest": Latest(w, request); break;
                    case "range": Range(w, request); break;
                    case "stats": Stats(w, request); break;
                    case "status":
                        w.WritePropertyName("status");
                        status.Write(w, online: true);
                        break;
                    case "rules": RuleReplies.WriteRules(w, RulesView()); break;
                    case "alerts": Alerts(w, request); break;
                    default: throw new QueryException(QueryErrorCode.UnknownOp, $"unknown op '{request.Op}'; known: sensors, latest, range, stats, status, rules, alerts");
                }
            });
        }
        catch (QueryException e)
        {
            return Error(e.Code, e.Message, request.CorrelationId);
        }
        catch (LogException e)
        {
            return Error(QueryErrorCode.Internal, $"the log could not be read: {e.Message}", request.CorrelationId);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Fault(e, $"query {request.Op}", request.CorrelationId);
        }
        finally
        {
            LocalMetrics.QueryAnswered(request.Op, started);
        }
    }

    /// <summary>A fault of ours while answering: logged with its stack, answered <c>internal</c>.</summary>
    public ReadOnlySequence<byte> Fault(Exception e, string what, string? correlationId)
    {
        logger.LogError(e, "{What} failed: {Error}", what, e.Message);
        return Error(QueryErrorCode.Internal, $"the gateway failed to answer ({e.GetType().Name}); the journal has the details", correlationId);
    }

    public ReadOnlySequence<byte> Error(string code, string message, string? correlationId)
    {
        return Reply(correlationId, w =>
        {
            w.WriteBoolean("ok", false);
            w.WriteStartObject("error");
            w.WriteString("code", code);
            w.WriteString("message", message);
            w.WriteEndObject();
        });
    }

    // One reply buffer per thread, reused: a 1,000-reading page is ~250 KB, and growing a fresh buffer for each reply
    // allocated ~1 MB of large-object heap per query, whose collections showed up as p99 latency.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    private static ReadOnlySequence<byte> Reply(string? correlationId, Action<Utf8JsonWriter> body)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(64 * 1024);
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            if (correlationId is not null) w.WriteString("correlationId", correlationId);
            w.WriteEndObject();
        }
        var reply = ReplyChunks.Copy(buffer.WrittenSpan);
        if (buffer.Capacity > 4 << 20) _buffer = null; // keep the usual page size, not an outlier
        return reply;
    }

    private void Sensors(Utf8JsonWriter w)
    {
        w.WriteStartArray("sensors");
        foreach (var s in sensors.All)
        {
            w.WriteStartObject();
            w.WriteString("id", s.Id);
            w.WriteString("type", s.Type);
            w.WriteString("kind", s.Kind);
            w.WriteString("topic", s.Topic);
            w.WriteString("source", s.Source);
            w.WriteString("state", s.State);
            w.WriteNumber("readings", s.Readings);
            if (s.LastReadingAt is { } t) w.WriteString("lastReadingAt", t); else w.WriteNull("lastReadingAt");
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private void Latest(Utf8JsonWriter w, QueryRequest r)
    {
        var (sensor, topic, partition) = Sensor(r, required: true);
        int n = Limit(r, 10);
        var found = _scanner.Latest(topic, partition, Encoding.UTF8.GetBytes(sensor!), n, options.MaxScanPerPage);
        w.WriteString("sensor", sensor);
        WriteReadings(w, found.Readings);
        w.WriteBoolean("partial", found.Partial);
    }

    private void Range(Utf8JsonWriter w, QueryRequest r)
    {
        var (sensor, topic, partition) = Sensor(r, required: false);
        CheckTimes(r);
        bool columns = r.Format == RangeFormat.Columns;
        if (columns && sensor is null)
            throw new QueryException(QueryErrorCode.InvalidRequest, "format 'columns' needs 'sensor': a page of columns is one sensor's series");
        int limit = columns ? Limit(r, options.MaxColumnsLimit, options.MaxColumnsLimit, "Query:MaxColumnsLimit") : Limit(r, options.DefaultLimit);
        int[] partitions = sensor is not null ? [partition] : r.Partition is { } p ? [CheckPartition(topic, p)] : Enumerable.Range(0, log.GetTopic(topic).Partitions).ToArray();
        if ((r.FromOffset is not null || r.ToOffset is not null) && partitions.Length > 1)
            throw new QueryException(QueryErrorCode.BadRange, $"fromOffset/toOffset need 'partition' (or 'sensor'): topic '{topic}' has {partitions.Length} partitions");
        var key = sensor is null ? null : Encoding.UTF8.GetBytes(sensor);
        var (found, next) = Page(topic, partitions, key, null, r, limit);
        if (sensor is not null) w.WriteString("sensor", sensor);
        w.WriteString("topic", topic);
        if (columns) RangeColumns.Write(w, found); else WriteReadings(w, found);
        if (next is null) w.WriteNull("next"); else w.WriteString("next", next);
    }

    // One page of a range over the partitions in order, resuming at the cursor: readings matching the key (null: any),
    // the kind (null: any) and the request's time and offset bounds, and the cursor of the next page (null: the end).
    private (List<FoundReading> Found, string? Next) Page(string topic, int[] partitions, byte[]? key, string? kind, QueryRequest r, int limit)
    {
        var (index, offset) = r.Cursor is { } c ? ParseCursor(c, partitions) : (0, (long?)null);
        var found = new List<FoundReading>();
        string? next = null;
        long budget = options.MaxScanPerPage;
        for (int i = index; i < partitions.Length; i++)
        {
            int part = partitions[i];
            var (start, end) = OffsetBounds(topic, part, r);
            long from = i == index && offset is { } o ? Math.Clamp(o, start, end) : start; // a cursor past the range just ends it
            var page = _scanner.Scan(topic, part, key, from, end, r.From, r.To, limit - found.Count, budget, kind);
            if (found.Count == 0) found = page.Readings; // a sensor's range is one partition: no second copy of the page
            else found.AddRange(page.Readings);
            budget -= page.Scanned;
            if (page.Next is { } resume) { next = $"{part}:{resume}"; break; }
            if (found.Count >= limit || budget <= 0)
            {
                if (i + 1 < partitions.Length) next = $"{partitions[i + 1]}:0";
                break;
            }
        }
        return (found, next);
    }

    private IRulesView RulesView() =>
        rules ?? throw new QueryException(QueryErrorCode.UnknownRule, "this gateway runs no stream rules (configure Rules:<name>; see STREAMS.md)");

    private void Alerts(Utf8JsonWriter w, QueryRequest r)
    {
        var view = RulesView();
        var known = view.Rules;
        if (r.Rule is { } name && !known.Any(x => x.Name == name))
            throw new QueryException(QueryErrorCode.UnknownRule, $"field 'rule': no rule '{name}'; rules: {string.Join(", ", known.Select(x => x.Name))}");
        if (r.Sensor is not null || r.Topic is not null)
            throw new QueryException(QueryErrorCode.InvalidRequest, "alerts takes 'rule', not 'sensor' or 'topic': the alerts are in the alert topic");
        CheckTimes(r);
        string topic = view.AlertTopic;
        if (!log.Topics.Any(t => t.Name == topic)) throw new QueryException(QueryErrorCode.UnknownTopic, $"the alert topic '{topic}' does not exist yet");
        int limit = Limit(r, options.DefaultLimit);
        int[] partitions = r.Partition is { } p ? [CheckPartition(topic, p)] : Enumerable.Range(0, log.GetTopic(topic).Partitions).ToArray();
        if ((r.FromOffset is not null || r.ToOffset is not null) && partitions.Length > 1)
            throw new QueryException(QueryErrorCode.BadRange, $"fromOffset/toOffset need 'partition': topic '{topic}' has {partitions.Length} partitions");
        var (found, next) = Page(topic, partitions, null, r.Rule is { } rule ? RuleAlert.KindOf(rule) : null, r, limit);
        if (r.Rule is not null) w.WriteString("rule", r.Rule);
        w.WriteString("topic", topic);
        // The alert topic holds alerts only; a record that is not one (no "state") is left out.
        var alerts = found.Select(f => (Found: f, Alert: RuleAlert.FromReading(f.Reading))).Where(a => a.Alert is not null).ToList();
        w.WriteNumber("count", alerts.Count);
        w.WriteStartArray("alerts");
        foreach (var (f, alert) in alerts) RuleReplies.WriteAlert(w, f, alert!);
        w.WriteEndArray();
        if (next is null) w.WriteNull("next"); else w.WriteString("next", next);
    }

    private void Stats(Utf8JsonWriter w, QueryRequest r)
    {
        var (sensor, topic, partition) = Sensor(r, required: true);
        if (r.From is not { } from || r.To is not { } to) throw new QueryException(QueryErrorCode.BadRange, "stats needs 'from' and 'to'");
        CheckTimes(r);
        // from/to are within DateTimeOffset's range (QueryParser), so to - from + 1 cannot overflow; a window wider than
        // the range is the range.
        long window = Math.Min(r.WindowMs ?? long.MaxValue, to - from + 1);
        long windows = (to - from) / window + 1;
        if (windows > options.MaxStatsWindows)
            throw new QueryException(QueryErrorCode.LimitTooLarge, $"{windows} windows of {window} ms; at most {options.MaxStatsWindows} (Query:MaxStatsWindows): widen 'window' or narrow the range");
        var acc = new StatsAccumulator(from, window, (int)windows);
        var (start, end) = _scanner.Bounds(topic, partition, from, to);
        var key = Encoding.UTF8.GetBytes(sensor!);
        long scanned = 0, offset = start;
        while (true)
        {
            var page = _scanner.Scan(topic, partition, key, offset, end, from, to, 10_000, options.MaxStatsScan - scanned);
            scanned += page.Scanned;
            foreach (var f in page.Readings) acc.Add(f.Reading);
            if (page.Next is not { } resume) break;
            if (scanned >= options.MaxStatsScan)
                throw new QueryException(QueryErrorCode.RangeTooLarge, $"the range holds more than {options.MaxStatsScan} records (Query:MaxStatsScan): narrow 'from'/'to'");
            offset = resume;
        }
        w.WriteString("sensor", sensor);
        w.WriteNumber("windowMs", window);
        acc.Write(w);
    }

    private (string? Sensor, string Topic, int Partition) Sensor(QueryRequest r, bool required)
    {
        if (r.Sensor is null)
        {
            if (required) throw new QueryException(QueryErrorCode.InvalidRequest, $"{r.Op} needs 'sensor'");
            if (r.Topic is null) throw new QueryException(QueryErrorCode.InvalidRequest, $"{r.Op} needs 'sensor' or 'topic'");
            return (null, CheckTopic(r.Topic), 0);
        }
        var info = sensors.Find(r.Sensor) ?? throw new QueryException(QueryErrorCode.UnknownSensor, $"no sensor '{r.Sensor}'; the 'sensors' op lists them");
        string topic = CheckTopic(r.Topic ?? info.Topic);
        int partition = KeyPartitioner.PartitionFor(Encoding.UTF8.GetBytes(r.Sensor), log.GetTopic(topic).Partitions);
        if (r.Partition is { } p && p != partition) throw new QueryException(QueryErrorCode.BadRange, $"sensor '{r.Sensor}' is stored in partition {partition} of '{topic}', not {p}");
        return (r.Sensor, topic, partition);
    }

    private string CheckTopic(string topic)
    {
        var topics = log.UserTopics;
        if (!topics.Any(t => t.Name == topic))
            throw new QueryException(QueryErrorCode.UnknownTopic, $"no topic '{topic}'; topics: {string.Join(", ", topics.Select(t => t.Name))}");
        return topic;
    }

    private int CheckPartition(string topic, int partition)
    {
        int count = log.GetTopic(topic).Partitions;
        return partition < count ? partition : throw new QueryException(QueryErrorCode.UnknownTopic, $"topic '{topic}' has partitions 0..{count - 1}, not {partition}");
    }

    private int Limit(QueryRequest r, int fallback) => Limit(r, fallback, options.MaxLimit, "Query:MaxLimit");

    private static int Limit(QueryRequest r, int fallback, int max, string key)
    {
        int limit = r.Limit ?? fallback;
        return limit <= max ? limit
            : throw new QueryException(QueryErrorCode.LimitTooLarge, $"limit {limit} is above the maximum {max} ({key}); page with 'cursor'");
    }

    private static void CheckTimes(QueryRequest r)
    {
        if (r.From > r.To) throw new QueryException(QueryErrorCode.BadRange, $"'from' ({Iso(r.From!.Value)}) is after 'to' ({Iso(r.To!.Value)})");
        if (r.FromOffset > r.ToOffset) throw new QueryException(QueryErrorCode.BadRange, $"'fromOffset' {r.FromOffset} is after 'toOffset' {r.ToOffset}");
    }

    private (long Start, long End) OffsetBounds(string topic, int partition, QueryRequest r)
    {
        var (start, end) = _scanner.Bounds(topic, partition, r.From, r.To);
        if (r.FromOffset is { } fo) start = Math.Max(start, fo);
        if (r.ToOffset is { } to) end = Math.Min(end, to);
        return (start, Math.Max(start, end));
    }

    private static (int Index, long? Offset) ParseCursor(string cursor, int[] partitions)
    {
        var parts = cursor.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int p)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long o) && Array.IndexOf(partitions, p) is var i and >= 0)
            return (i, o);
        throw new QueryException(QueryErrorCode.BadCursor, $"cursor '{cursor}' does not belong to this query; send the 'next' value of the previous reply with the same request");
    }

    private static void WriteReadings(Utf8JsonWriter w, List<FoundReading> found)
    {
        w.WriteNumber("count", found.Count);
        w.WriteStartArray("readings");
        foreach (var f in found)
        {
            w.WriteStartObject();
            w.WriteString("topic", f.Topic);
            w.WriteNumber("partition", f.Partition);
            w.WriteNumber("offset", f.Offset);
            w.WritePropertyName("reading");
            ReadingJsonCodec.Write(w, f.Reading);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O", CultureInfo.InvariantCulture);
}
