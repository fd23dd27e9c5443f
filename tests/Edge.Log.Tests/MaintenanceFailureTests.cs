using System.Text;
using Edge.Log.Tests.TestKit;
using Microsoft.Extensions.Logging;
using static Edge.Log.Tests.TestKit.LogFixture;

namespace Edge.Log.Tests;

/// <summary>
/// The background maintenance (retention, compaction, disk budget) survives a partition it cannot process: the
/// failure is reported once with what failed, retried with back-off, and every other partition — and the budget —
/// goes on (issue 10 item 4).
/// </summary>
public class MaintenanceFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task Fill(EdgeLog log, string topic, int count, string? key = null)
    {
        for (int i = 0; i < count; i++)
            await log.AppendAsync(topic, new Record(key is null ? null : Encoding.UTF8.GetBytes(key + (i % 3)), new byte[200], i), 0).AsTask().WaitAsync(Timeout);
    }

    private static LogOptions Fast(string dir)
    {
        var options = Options(dir);
        options.MaintenanceInterval = TimeSpan.FromMilliseconds(100);
        options.BudgetCheckInterval = TimeSpan.FromMilliseconds(20);
        return options;
    }

    [Fact]
    public async Task A_corrupt_batch_met_by_compaction_is_reported_once_and_retention_and_the_budget_go_on_for_the_other_partitions()
    {
        using var dir = new TempDir();
        var compacted = new TopicConfig("_sensors") { Priority = 10, Cleanup = CleanupPolicy.Compact, SegmentBytes = 4096, RetentionTime = null, Flush = FlushPolicy.Immediate };
        using (var log = EdgeLog.Open(Options(dir.Path)))
        {
            log.CreateTopic(compacted);
            await Fill(log, "_sensors", 60, key: "sensor-");
        }
        string corrupt = Segments(dir.Path, "_sensors")[0];
        FlipBit(corrupt, 100); // inside the records of the first sealed segment's first batch

        var loggers = new CapturingLoggerFactory();
        var options = Fast(dir.Path);
        options.DiskBudgetBytes = 40_000;
        using (var log = EdgeLog.Open(options, loggers))
        {
            log.CreateTopic(new TopicConfig("bulk") { SegmentBytes = 4096, RetentionTime = null, Flush = FlushPolicy.Immediate });
            log.CreateTopic(new TopicConfig("kept") { SegmentBytes = 4096, RetentionTime = null, RetentionBytes = 8192, Flush = FlushPolicy.Immediate, Priority = 5 });
            await Wait.Until(() => log.MaintenanceFailures.Any(f => f is { Task: "compaction", Topic: "_sensors", Failures: >= 2 }), Timeout, "compaction failed and was retried");

            // Only now does the data arrive that retention and the budget must handle: they still run.
            await Fill(log, "kept", 100);
            await Fill(log, "bulk", 300);
            await Wait.Until(() => log.GetPartitionInfo("kept", 0).LogStartOffset > 0, Timeout, "size retention deleted kept's oldest segments");
            await Wait.Until(() => log.DiskBytes <= 40_000 && log.GetPartitionInfo("bulk", 0).LogStartOffset > 0, Timeout, "the budget evicted bulk's oldest segments");
            await Wait.Until(() => log.MaintenanceFailures.Single().Failures >= 4, Timeout, "compaction was retried again");

            var failure = log.MaintenanceFailures.Single();
            Assert.Equal(("compaction", "_sensors", 0), (failure.Task, failure.Topic, failure.Partition));
            Assert.Contains(corrupt, failure.Error);
            // Back-off: after n failures the next attempt is 20 ms · 2^(n-1) (at most 10 maintenance intervals) later, not every tick.
            var backoff = TimeSpan.FromMilliseconds(Math.Min(20 << (failure.Failures - 1), 1000));
            Assert.True(failure.NextAttemptAt - failure.FirstFailedAt >= backoff, $"{failure}");
            var errors = loggers.Messages.Where(m => m.Level == LogLevel.Error).ToList();
            Assert.Single(errors); // reported once, not at every retry
            Assert.Contains("_sensors/0: compaction failed: CorruptRecordException", errors[0].Message);
            Assert.Contains(corrupt, errors[0].Message);
        }
    }

    [Fact]
    public async Task An_unexpected_exception_type_is_reported_retried_and_the_loop_goes_on_until_the_fault_clears()
    {
        var fs = new FaultInjectingFileSystem();
        using var dir = new TempDir();
        var options = Fast(dir.Path);
        var x = new TopicConfig("x") { SegmentBytes = 4096, RetentionTime = TimeSpan.FromDays(3650), Flush = FlushPolicy.Immediate, Priority = 5 };
        using (var log = EdgeLog.Open(options, fileSystem: fs))
        {
            log.CreateTopic(x);
            await Fill(log, "x", 60);
        }
        // The sealed indexes of x load lazily after a reopen; opening the first segment's is refused like a file made root-only.
        string xDir = PartitionDir(dir.Path, "x");
        bool refuse = true;
        fs.Inject = (op, path) => refuse && op == "open" && path.StartsWith(Path.Combine(xDir, "00000000000000000000."), StringComparison.Ordinal) && path.EndsWith("index", StringComparison.Ordinal)
            ? new UnauthorizedAccessException($"Access to the path '{path}' is denied.") : null;

        var loggers = new CapturingLoggerFactory();
        options.DiskBudgetBytes = 30_000;
        using (var log = EdgeLog.Open(options, loggers, fileSystem: fs))
        {
            log.CreateTopic(new TopicConfig("bulk") { SegmentBytes = 4096, RetentionTime = null, Flush = FlushPolicy.Immediate });
            await Wait.Until(() => log.MaintenanceFailures.Any(f => f.Topic == "x"), Timeout, "maintenance met the refused index");
            await Fill(log, "bulk", 200);
            await Wait.Until(() => log.GetPartitionInfo("bulk", 0).LogStartOffset > 0, Timeout, "the budget evicted bulk's oldest segments");

            var errors = loggers.Messages.Where(m => m.Level == LogLevel.Error).Select(m => m.Message).ToList();
            Assert.NotEmpty(errors);
            Assert.All(errors, e => Assert.Contains("x/0: ", e));
            Assert.Contains(errors, e => e.Contains("UnauthorizedAccessException", StringComparison.Ordinal) && e.Contains(xDir, StringComparison.Ordinal));

            refuse = false; // the operator fixed the permissions
            await Fill(log, "bulk", 100); // the budget orders x's segments again when it next evicts
            await Wait.Until(() => log.MaintenanceFailures.Count == 0, Timeout, "x's maintenance works again");
            Assert.Contains(loggers.Messages, m => m.Message.Contains("x/0: retention works again", StringComparison.Ordinal));
        }
    }
}
