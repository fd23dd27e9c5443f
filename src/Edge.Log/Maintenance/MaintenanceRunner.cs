using Edge.Log.Storage;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Maintenance;

/// <summary>
/// Runs retention, compaction and the disk budget on one background task: the budget at once when a write finds the
/// disk full, else every BudgetCheckInterval (1 s by default); retention and compaction every
/// MaintenanceInterval. Appends never wait for it: it only touches sealed segments. Each task runs per partition
/// through <see cref="FailureBackoff"/>, so one failing partition (a corrupt batch, a file it may not open, whatever
/// the exception) is reported once and retried with back-off while every other partition — and the budget — goes on.
/// </summary>
internal sealed class MaintenanceRunner : IDisposable
{
    private readonly EdgeLog _log;
    private readonly ILogger _logger;
    private readonly DiskPressure _pressure;
    private readonly FailureBackoff _failures;
    private readonly DiskBudget _budget;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _runLock = new();
    private Task? _loop;
    private string? _lastUnexpected;

    public MaintenanceRunner(EdgeLog log, DiskPressure pressure, ILogger logger)
    {
        (_log, _pressure, _logger) = (log, pressure, logger);
        var options = log.Options;
        // Back-off from one budget interval, doubling, to ten maintenance intervals (5 min at the defaults).
        _failures = new FailureBackoff(log.Time, options.BudgetCheckInterval, TimeSpan.FromTicks(options.MaintenanceInterval.Ticks * 10), logger);
        _budget = new DiskBudget(log, pressure, _failures, logger);
    }

    public DiskUsage Usage => _budget.Usage;

    public IReadOnlyList<MaintenanceFailure> Failures => _failures.Current;

    public void Start() => _loop = Task.Run(Loop);

    /// <summary>One full pass now; a partition's task that failed before is tried again regardless of its back-off.</summary>
    public MaintenanceReport RunOnce() => Run(force: true);

    private MaintenanceReport Run(bool force)
    {
        lock (_runLock)
        {
            int deleted = Retention.Run(_log, _failures, force, _logger);
            var (segments, records) = Compactor.Run(_log, _failures, force, _logger);
            if (deleted > 0 || segments > 0) _pressure.SpaceFreed();
            var (evicted, blocking) = _budget.Enforce();
            return new MaintenanceReport(deleted, segments, records, evicted, blocking, _failures.Current);
        }
    }

    private async Task Loop()
    {
        var time = _log.Time;
        var budgetEvery = TimeSpan.FromTicks(Math.Min(_log.Options.BudgetCheckInterval.Ticks, _log.Options.MaintenanceInterval.Ticks));
        var lastFull = time.GetUtcNow();
        bool first = true;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                // The first check runs at once: a log reopened on a fuller disk learns its budget before it grows.
                if (!first)
                {
                    using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    var delay = Task.Delay(budgetEvery, time, wake.Token);
                    await Task.WhenAny(delay, _pressure.CheckRequested).ConfigureAwait(false);
                    await wake.CancelAsync().ConfigureAwait(false);
                    _stop.Token.ThrowIfCancellationRequested();
                }
                first = false;
                _lastUnexpected = null;
                if (time.GetUtcNow() - lastFull >= _log.Options.MaintenanceInterval)
                {
                    // Set before the pass: a failing pass must not turn every later tick into another full pass.
                    lastFull = time.GetUtcNow();
                    Run(force: false);
                }
                else
                {
                    lock (_runLock) _budget.Enforce();
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Per-partition failures are handled below this; anything reaching here is a bug or an unforeseen
                // fault. Say so, wait a tick, and go on: the budget must keep running.
                string error = $"{e.GetType().Name}: {e.Message}";
                if (error != _lastUnexpected) _logger.LogError(e, "log maintenance failed unexpectedly ({Error}); retrying at the next check", error);
                _lastUnexpected = error;
            }
        }
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return; // disposed already (IsCancellationRequested is readable after Dispose)
        _stop.Cancel();
        _loop?.GetAwaiter().GetResult();
        _stop.Dispose();
    }
}
