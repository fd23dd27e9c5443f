using Edge.Log;

namespace Edge.Gateway.Services;

/// <summary>
/// What "alive" means for the gateway, in one place for the systemd watchdog's ping and for <c>/healthz</c>: the log's
/// writers turn over — no partition writer stuck for a whole period or stopped by a write failure
/// (<see cref="EdgeLog.FindStalledWriter"/>) — and appends are not all failing (failures grew while nothing was appended
/// since the previous check). Each caller keeps its own probe, since "since the previous check" is per caller.
/// Thread-safe.
/// </summary>
public sealed class LivenessProbe(EdgeLog log, GatewayCounters counters)
{
    private readonly Lock _lock = new();
    private long _appended = counters.Appended;
    private long _failed = counters.Failed;

    /// <summary>
    /// Null when alive; else what is wrong. <paramref name="period"/> is how long a writer may go without progress, and
    /// the interval the caller checks at (the watchdog's ping period).
    /// </summary>
    public string? Check(TimeSpan period)
    {
        lock (_lock)
        {
            // Counters are read once per check, so every append is judged by exactly one check.
            long appendedNow = counters.Appended, failedNow = counters.Failed;
            // A partition stopped by a write failure is a stalled writer "for good" (FindStalledWriter).
            string? problem = failedNow > _failed && appendedNow == _appended ? $"{failedNow - _failed} appends failed and none succeeded in the last {period.TotalMilliseconds} ms"
                : Stalled(period);
            (_appended, _failed) = (appendedNow, failedNow);
            return problem;
        }
    }

    private string? Stalled(TimeSpan period) =>
        log.FindStalledWriter(period) is { } stall
            ? $"the writer of {stall.Topic}/{stall.Partition} has made no progress for {(stall.For == TimeSpan.MaxValue ? "good" : $"{stall.For.TotalMilliseconds:F0} ms")}: {stall.What}"
            : null;
}
