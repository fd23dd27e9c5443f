using Edge.Uplink.Connection;

namespace Edge.Uplink;

/// <summary>A snapshot for the status line, the status topic and queries.</summary>
/// <param name="Lag">Readings in the log not yet acknowledged upstream.</param>
/// <param name="OldestUnsent">Age of the oldest reading not yet acknowledged (null when nothing is pending).</param>
/// <param name="DrainEstimate">Lag over the recent acknowledgement rate (null when nothing is being acknowledged).</param>
/// <param name="Unreadable">Offsets never sent because their stored bytes were corrupt (parked as dead letters, UPLINK.md §7).</param>
/// <param name="Stopped">Partitions whose forwarding failed and waits to restart ("traffic/2"), with the error; empty when all run.</param>
public sealed record UplinkStatus(
    UplinkState State,
    string Endpoint,
    string? LastError,
    long Lag,
    TimeSpan? OldestUnsent,
    double AckedPerSecond,
    TimeSpan? DrainEstimate,
    long Acked,
    long Resent,
    long DeadLettered,
    IReadOnlyDictionary<string, long> Refusals,
    long Unreadable = 0,
    IReadOnlyDictionary<string, string>? Stopped = null);
