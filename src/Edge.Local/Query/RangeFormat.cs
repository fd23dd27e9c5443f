namespace Edge.Local.Query;

/// <summary>The forms a <c>range</c> page takes (QUERY.md "range"): the "format" field of the request.</summary>
public static class RangeFormat
{
    /// <summary>One object per reading, with its position in the log and the whole READINGS.md JSON (the default).</summary>
    public const string Readings = "readings";

    /// <summary>
    /// One sensor's page as columns — times, then one array per value name — for plotting: a tenth of the bytes of
    /// <see cref="Readings"/> per reading, so a day of a 4 Hz sensor fits in a few dozen pages (Query:MaxColumnsLimit).
    /// </summary>
    public const string Columns = "columns";
}
