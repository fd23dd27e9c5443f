namespace Edge.Local.Query;

/// <summary>The documented error codes of a query reply (<c>{"ok":false,"error":{"code":...}}</c>; see QUERY.md).</summary>
public static class QueryErrorCode
{
    /// <summary>The payload is not a JSON object (or not UTF-8).</summary>
    public const string MalformedJson = "malformed_json";

    /// <summary>A field has the wrong type or an impossible value, a required field is missing, or the request is too large.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>"op" is not one of sensors, latest, range, stats, status, rules, alerts.</summary>
    public const string UnknownOp = "unknown_op";

    /// <summary>No configured or ingested sensor has that id.</summary>
    public const string UnknownSensor = "unknown_sensor";

    /// <summary>No configured stream rule has that name, or the gateway runs no rules.</summary>
    public const string UnknownRule = "unknown_rule";

    /// <summary>No log topic has that name, or the partition does not exist.</summary>
    public const string UnknownTopic = "unknown_topic";

    /// <summary>from is after to, a timestamp or offset is not parseable, or the window does not divide the range sensibly.</summary>
    public const string BadRange = "bad_range";

    /// <summary>limit (or n, or the number of stats windows) is above the configured maximum.</summary>
    public const string LimitTooLarge = "limit_too_large";

    /// <summary>A stats range would scan more records than the configured maximum: narrow it.</summary>
    public const string RangeTooLarge = "range_too_large";

    /// <summary>The cursor does not belong to this query.</summary>
    public const string BadCursor = "bad_cursor";

    /// <summary>The client sent more queries per second than allowed.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The client's role may not query.</summary>
    public const string NotAuthorised = "not_authorised";

    /// <summary>The gateway failed to answer (a log error); the message says why.</summary>
    public const string Internal = "internal";
}
