using Edge.Local.Broker;
using Edge.Local.Ingest;
using Edge.Local.Query;
using Edge.Local.Status;
using Edge.Local.Tests.TestKit;
using Edge.Log;
using Microsoft.Extensions.Logging;

namespace Edge.Local.Tests;

/// <summary>
/// Remote sensor registrations live in the compacted log topic _sensors and are loaded at start-up:
/// bit rot in one of its batches must cost the registrations in that batch, not the gateway's start.
/// </summary>
public class SensorDirectoryTests
{
    [Fact]
    public async Task A_corrupt_batch_in_sensors_is_skipped_with_a_warning_and_start_up_goes_on_with_the_other_registrations()
    {
        using var dir = new TempDir();
        string segment = Path.Combine(dir.Path, "topics", SensorDirectory.Topic, "0", "00000000000000000000.log");
        long victimStart, victimEnd;
        using (var log = Open(dir.Path))
        {
            var sensors = new SensorDirectory(log, new FakeGatewayView());
            // Each registration is durable before the next: one batch each.
            await sensors.RegisterAsync("node1-t", "environment.temperature", "environment", default);
            victimStart = new FileInfo(segment).Length;
            await sensors.RegisterAsync("node2-t", "environment.temperature", "environment", default);
            victimEnd = new FileInfo(segment).Length;
            await sensors.RegisterAsync("node3-t", "environment.temperature", "environment", default);
        }
        StoredBytes.Flip(segment, (victimStart + victimEnd) / 2, 0x5A);

        using var sink = new LogSink();
        using (var log = Open(dir.Path))
        {
            // Start-up composes the local API, which loads the registrations.
            var api = LocalApi.Create(log, new FakeGatewayView(), new QueryOptions(), new IngestOptions(), TimeProvider.System, sink);
            Assert.NotNull(api.Sensors.Find("node1-t"));
            Assert.NotNull(api.Sensors.Find("node3-t"));
            Assert.Null(api.Sensors.Find("node2-t"));
            var warning = Assert.Single(sink.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("corrupt batch", StringComparison.Ordinal));
            Assert.Contains($"_sensors: skipped a corrupt batch of sensor registrations while loading (offsets 1-1 unreadable: corrupt batch in {segment} at byte {victimStart}", warning.Message);
            Assert.Contains("CRC32C mismatch", warning.Message);
            // The lost sensor registers again with its next reading, and that survives a restart.
            await api.Sensors.RegisterAsync("node2-t", "environment.temperature", "environment", default);
        }
        using (var log = Open(dir.Path))
        {
            var sensors = new SensorDirectory(log, new FakeGatewayView());
            Assert.Equal(["node1-t", "node2-t", "node3-t"], sensors.All.Select(s => s.Id).Order(StringComparer.Ordinal));
        }
    }

    private static EdgeLog Open(string dir) => EdgeLog.Open(new LogOptions { Directory = dir, MaintenanceInterval = TimeSpan.FromHours(1) });
}
