using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Edge.Log.Tests.TestKit;

namespace Edge.Log.Tests;

public class MetricsTests
{
    [Fact]
    public async Task Appends_flushes_and_recovery_truncation_are_reported_on_the_Edge_Log_meter()
    {
        using var dir = new TempDir();
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == LogMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        // Other tests emit on the same meter concurrently: count only this test's topic.
        string topic = "metrics-" + Guid.NewGuid().ToString("N");
        bool Mine(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var t in tags) if (t.Key == "topic" && (string?)t.Value == topic) return true;
            return false;
        }
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => { if (Mine(tags)) totals.AddOrUpdate(i.Name, v, (_, old) => i.Name.EndsWith("segments") || i.Name.EndsWith("disk_bytes") ? v : old + v); });
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => { if (Mine(tags)) totals.AddOrUpdate(i.Name + ".count", 1, (_, old) => old + 1); });
        listener.Start();

        var options = new LogOptions { Directory = dir.Path, MaintenanceInterval = TimeSpan.FromHours(1) };
        using (var log = EdgeLog.Open(options))
        {
            log.CreateTopic(new TopicConfig(topic) { Flush = FlushPolicy.Immediate });
            for (int i = 0; i < 10; i++) await log.AppendAsync(topic, new Record(null, new byte[100], i), 0);
            listener.RecordObservableInstruments();
        }
        Assert.Equal(10, totals["edge.log.records_appended"]);
        Assert.True(totals["edge.log.bytes_appended"] > 1000);
        Assert.True(totals["edge.log.flush.duration.count"] >= 1);
        Assert.Equal(1, totals["edge.log.segments"]);
        Assert.True(totals["edge.log.disk_bytes"] > 1000);

        // Garbage after the last batch (and no clean-shutdown trailer) is truncated and counted at the next open.
        string segment = Directory.GetFiles(Path.Combine(dir.Path, "topics", topic, "0"), "*.log").Single();
        foreach (var index in Directory.GetFiles(Path.GetDirectoryName(segment)!, "*index")) File.Delete(index);
        await File.AppendAllTextAsync(segment, "not a batch at all");
        using (EdgeLog.Open(options)) { }
        Assert.Equal("not a batch at all".Length, totals["edge.log.recovery_truncated_bytes"]);
    }
}
