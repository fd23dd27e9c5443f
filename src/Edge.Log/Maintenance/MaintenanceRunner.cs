using Microsoft.Extensions.Logging;

namespace Edge.Log.Maintenance;

/// <summary>
/// Runs retention, compaction and the disk budget on one background task, every MaintenanceInterval (the budget
/// every BudgetCheckInterval, 1 s by default). Appends never wait for it: it only touches sealed segments.
/// </summary>
internal sealed class MaintenanceRunner(EdgeLog log, ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly object _runLock = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(Loop);

    public MaintenanceReport RunOnce()
    {
        lock (_runLock)
        {
            int deleted = Retention.Run(log, logger);
            var (segments, records) = Compactor.Run(log, logger);
            var (evicted, blocking) = DiskBudget.Enforce(log, logger);
            return new MaintenanceReport(deleted, segments, records, evicted, blocking);
        }
    }

    private async Task Loop()
    {
        var time = log.Options.Time;
        var budgetEvery = TimeSpan.FromTicks(Math.Min(log.Options.BudgetCheckInterval.Ticks, log.Options.MaintenanceInterval.Ticks));
        var lastFull = time.GetUtcNow();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(budgetEvery, time, _stop.Token).ConfigureAwait(false);
                if (time.GetUtcNow() - lastFull >= log.Options.MaintenanceInterval)
                {
                    RunOnce();
                    lastFull = time.GetUtcNow();
                }
                else if (log.Options.DiskBudgetBytes > 0)
                {
                    lock (_runLock) DiskBudget.Enforce(log, logger);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or LogException)
            {
                logger.LogError(e, "log maintenance failed; retrying at the next interval");
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
