namespace Edge.Local.Query;

/// <summary>"Query": bounds that keep one client from monopolising a small gateway.</summary>
public sealed class QueryOptions
{
    public const string Section = "Query";

    /// <summary>Readings per reply when the request gives no limit.</summary>
    public int DefaultLimit { get; set; } = 100;

    /// <summary>Largest limit (or n) a request may ask for; larger ranges are paged with the cursor.</summary>
    public int MaxLimit { get; set; } = 1000;

    /// <summary>
    /// Largest (and default) page of a <c>range</c> in the columns format: ~40 bytes per reading of two values instead
    /// of ~250, so 10,000 readings stay well under the session's queued-bytes bound (Broker:MaxQueuedBytesPerSession).
    /// </summary>
    public int MaxColumnsLimit { get; set; } = 10_000;

    /// <summary>Sustained queries per second per client (token bucket), and the burst above it.</summary>
    public double QueriesPerSecond { get; set; } = 50;

    public int Burst { get; set; } = 100;

    public int MaxRequestBytes { get; set; } = 16 * 1024;

    /// <summary>Records one page may examine before it returns what it has with a cursor (sparse sensors in big partitions).</summary>
    public int MaxScanPerPage { get; set; } = 200_000;

    /// <summary>Records a stats query may examine in total; beyond it the reply is range_too_large.</summary>
    public long MaxStatsScan { get; set; } = 5_000_000;

    public int MaxStatsWindows { get; set; } = 1000;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxLimit is < 1 or > 100_000) errors.Add($"Query:MaxLimit: {MaxLimit} is outside 1..100000");
        if (MaxColumnsLimit is < 1 or > 1_000_000) errors.Add($"Query:MaxColumnsLimit: {MaxColumnsLimit} is outside 1..1000000");
        if (DefaultLimit < 1 || DefaultLimit > MaxLimit) errors.Add($"Query:DefaultLimit: {DefaultLimit} is outside 1..Query:MaxLimit ({MaxLimit})");
        if (!(QueriesPerSecond > 0)) errors.Add($"Query:QueriesPerSecond: {QueriesPerSecond} must be above 0");
        if (Burst < 1) errors.Add($"Query:Burst: {Burst} must be at least 1");
        if (MaxRequestBytes is < 256 or > 1 << 20) errors.Add($"Query:MaxRequestBytes: {MaxRequestBytes} is outside 256..1048576");
        if (MaxScanPerPage < 1000) errors.Add($"Query:MaxScanPerPage: {MaxScanPerPage} is below 1000");
        if (MaxStatsScan < 1000) errors.Add($"Query:MaxStatsScan: {MaxStatsScan} is below 1000");
        if (MaxStatsWindows < 1) errors.Add($"Query:MaxStatsWindows: {MaxStatsWindows} must be at least 1");
        return errors;
    }
}
