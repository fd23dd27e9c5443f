using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

public class TailTests
{
    [Fact]
    public async Task A_tail_waiting_for_the_next_record_ends_with_ObjectDisposedException_when_the_log_closes()
    {
        using var dir = new TempDir();
        var log = EdgeLog.Open(new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) });
        log.CreateTopic(new TopicConfig("t"));
        await log.AppendAsync("t", new Record(null, new byte[] { 1 }, 0), 0);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // No cancellation token: only the log closing can end this tail (a closed partition once made it spin forever).
        var tail = Task.Run(async () =>
        {
            await foreach (var _ in log.TailAsync("t", 0, 0)) first.TrySetResult();
        });
        await first.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the tail now waits for offset 1
        log.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => tail.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
