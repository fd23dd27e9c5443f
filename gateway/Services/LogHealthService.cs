using Edge.Log;

namespace Edge.Gateway.Services;

/// <summary>
/// Turns a log partition that stopped after a write failure (disk full, file too large, I/O error) into a fatal
/// error of the host. The partition refuses every append until the log is reopened — its recovery keeps exactly the
/// valid prefix — so running on would sample readings only to drop them. Faulting here stops the host, the gateway
/// exits 1 and systemd's Restart=on-failure reopens the log.
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
