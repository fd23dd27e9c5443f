using Edge.Log;

namespace Edge.Gateway.Services;

/// <summary>
/// Turns a log partition that stopped after a write failure (file too large, I/O error) into a fatal error of the
/// host. The partition refuses every append until the log is reopened — its recovery keeps exactly the valid prefix —
/// so running on would sample readings only to drop them. Faulting here stops the host, the gateway exits 1 and
/// systemd's Restart=on-failure reopens the log. A full disk is not such a failure: the log evicts and its writes
/// wait for space (FORMAT.md §6), which the log's warnings, the status line and the status message report.
/// </summary>
public sealed class LogHealthService(EdgeLog log, ILogger<LogHealthService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failure = await log.WriteFailure.WaitAsync(stoppingToken).ConfigureAwait(false);
        logger.LogCritical("{Error} — stopping the gateway (exit 1) so the service manager restarts it and the log recovers", failure.Message);
        throw failure;
    }
}
