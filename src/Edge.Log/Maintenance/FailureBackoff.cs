using System.Collections.Concurrent;
using Edge.Log.Storage;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Maintenance;

/// <summary>
/// Runs one maintenance task for one partition so that its failure, whatever the exception, stays its own: logged
/// once with what failed (again only when the error changes), retried with a doubling back-off, and its recovery
/// logged. A failing partition never stops the others, nor the disk budget. Thread-safe.
/// </summary>
internal sealed class FailureBackoff(TimeProvider time, TimeSpan first, TimeSpan max, ILogger logger)
{
    private readonly ConcurrentDictionary<(string Task, string Topic, int Partition), MaintenanceFailure> _failing = new();

    public IReadOnlyList<MaintenanceFailure> Current =>
        _failing.Values.OrderBy(f => f.Topic, StringComparer.Ordinal).ThenBy(f => f.Partition).ThenBy(f => f.Task, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Runs <paramref name="action"/> unless it failed before and its back-off has not passed (<paramref name="force"/>
    /// ignores the back-off). Returns false when it was skipped or failed.
    /// </summary>
    public bool Run(string task, Partition p, bool force, Action action)
    {
        var key = (task, p.Topic, p.Id);
        var now = time.GetUtcNow();
        if (!force && _failing.TryGetValue(key, out var previous) && now < previous.NextAttemptAt) return false;
        try
        {
            action();
        }
        catch (Exception e)
        {
            Failed(key, e, now);
            return false;
        }
        if (_failing.TryRemove(key, out var healed))
            logger.LogInformation("{Topic}/{Partition}: {Task} works again after {Failures} failed attempt(s)", p.Topic, p.Id, task, healed.Failures);
        return true;
    }

    private void Failed((string Task, string Topic, int Partition) key, Exception e, DateTimeOffset now)
    {
        string error = $"{e.GetType().Name}: {e.Message}";
        var before = _failing.GetValueOrDefault(key);
        int failures = (before?.Failures ?? 0) + 1;
        var delay = TimeSpan.FromTicks(Math.Min(max.Ticks, first.Ticks << Math.Min(failures - 1, 20)));
        _failing[key] = new MaintenanceFailure(key.Task, key.Topic, key.Partition, error, failures, before?.FirstFailedAt ?? now, now + delay);
        if (before is null || before.Error != error)
            logger.LogError(e, "{Topic}/{Partition}: {Task} failed: {Error}; other partitions and the disk budget go on, this one is retried with back-off (next in {Delay:F0} s)",
                key.Topic, key.Partition, key.Task, error, delay.TotalSeconds);
        else
            logger.LogDebug("{Topic}/{Partition}: {Task} failed again ({Failures} times): {Error}", key.Topic, key.Partition, key.Task, failures, error);
    }
}
