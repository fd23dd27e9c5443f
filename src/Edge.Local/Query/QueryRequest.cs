namespace Edge.Local.Query;

/// <summary>A parsed query (see QUERY.md for the JSON form). Time bounds are Unix milliseconds, inclusive.</summary>
public sealed record QueryRequest
{
    public required string Op { get; init; }

    public string? Sensor { get; init; }

    public string? Topic { get; init; }

    /// <summary>The stream rule whose alerts to return (op alerts).</summary>
    public string? Rule { get; init; }

    public int? Partition { get; init; }

    public long? From { get; init; }

    public long? To { get; init; }

    public long? FromOffset { get; init; }

    /// <summary>Exclusive end offset.</summary>
    public long? ToOffset { get; init; }

    public int? Limit { get; init; }

    public string? Cursor { get; init; }

    public long? WindowMs { get; init; }

    /// <summary>How <c>range</c> returns its page: <see cref="RangeFormat.Readings"/> (default) or <see cref="RangeFormat.Columns"/>.</summary>
    public string? Format { get; init; }

    /// <summary>MQTT 3.1.1 clients have no Response Topic: they name it here.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>Echoed back in the reply (MQTT 3.1.1 clients' correlation data).</summary>
    public string? CorrelationId { get; init; }
}
