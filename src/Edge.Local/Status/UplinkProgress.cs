namespace Edge.Local.Status;

/// <summary>How far an uplink with an upstream broker has forwarded (the <c>uplink</c> object of QUERY.md's status).</summary>
/// <param name="Endpoint">The upstream broker, host:port.</param>
/// <param name="LastError">The last connection or delivery error, or null.</param>
/// <param name="Lag">Readings in the log not yet acknowledged upstream.</param>
/// <param name="OldestUnsent">Age of the oldest reading not yet acknowledged; null when nothing is pending.</param>
/// <param name="DrainEstimate">Lag over the recent acknowledgement rate; null when nothing is being acknowledged.</param>
/// <param name="Restarting">Partitions whose forwarding stopped and waits to restart, with the error; empty when all run.</param>
public sealed record UplinkProgress(
    string Endpoint,
    string? LastError,
    long Lag,
    TimeSpan? OldestUnsent,
    TimeSpan? DrainEstimate,
    double AckedPerSecond,
    long Acked,
    long Resent,
    long DeadLettered,
    long Unreadable,
    IReadOnlyDictionary<string, string> Restarting);
