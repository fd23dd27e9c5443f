using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Configuration;

/// <summary>
/// The stop's last step before the log closes: says in the journal how many records were buffered, not yet durable,
/// and flushes them. Registered with the log, ahead of every producer's hosted service, so it stops after all of
/// them (the host stops hosted services in reverse order of registration): nothing appends after the count, and what
/// it reports is exactly what the flush adds to the durable log — what a crash at that moment, while the records waited
/// for their group's MaxInterval, would have lost. The close (<see cref="EdgeLog.Dispose"/>) flushes too; the
/// flush here runs within the host's ShutdownTimeout, before systemd's TimeoutStopSec can SIGKILL the process.
/// </summary>
internal sealed class LogFlushOnStop(EdgeLog log, ILogger<LogFlushOnStop> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var topics = log.Topics.Select(t =>
        {
            var infos = Enumerable.Range(0, t.Partitions).Select(p => log.GetPartitionInfo(t.Name, p)).ToList();
            return (t.Name, Durable: infos.Sum(i => i.HighWatermark), Buffered: infos.Sum(i => i.Buffered));
        }).ToList();
        // "stopping: 57 records buffered, flushing (health 40 after 2113 durable, traffic 17 after 530 durable)"; the
        // durable figure is the sum of the topic's partitions' end offsets, so durable + buffered is their end after the flush.
        string detail = string.Join(", ", topics.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {t.Buffered} after {t.Durable} durable")));
        logger.LogInformation("stopping: {Buffered} records buffered, flushing ({Topics})", topics.Sum(t => t.Buffered), detail);
        try
        {
            await log.FlushAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A flush also waits for appends still held back (a Block topic over the disk budget): the close that
            // follows writes what was admitted and fails the rest, so the stop goes on.
            logger.LogWarning("the flush did not finish within the shutdown timeout; closing the log writes what it buffered");
        }
    }
}
