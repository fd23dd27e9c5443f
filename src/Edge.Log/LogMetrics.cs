using System.Diagnostics.Metrics;

namespace Edge.Log;

/// <summary>
/// The log's instruments on the "Edge.Log" meter (System.Diagnostics.Metrics), tagged by topic. Collect them with
/// dotnet-counters, OpenTelemetry or a <see cref="MeterListener"/>.
/// </summary>
public sealed class LogMetrics : IDisposable
{
    public const string MeterName = "Edge.Log";

    private readonly Meter _meter;

    internal LogMetrics(Func<IEnumerable<Measurement<long>>> segments, Func<IEnumerable<Measurement<long>>> diskBytes)
    {
        _meter = new Meter(MeterName, "1.0");
        RecordsAppended = _meter.CreateCounter<long>("edge.log.records_appended", "{record}", "Records made durable (or written, for page-cache topics).");
        BytesAppended = _meter.CreateCounter<long>("edge.log.bytes_appended", "By", "Batch bytes written to segments.");
        // Seconds, as the OpenTelemetry semantic conventions ask of every duration; the buckets span a page-cache write
        // (~0.1 ms) to an SD card's worst fdatasync (seconds).
        FlushDuration = _meter.CreateHistogram<double>("edge.log.flush.duration", "s", "Write plus fdatasync time of one group commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        EvictedRecords = _meter.CreateCounter<long>("edge.log.evicted_records", "{record}", "Records deleted by the disk budget.");
        EvictedUnconsumed = _meter.CreateCounter<long>("edge.log.evicted_unconsumed_records", "{record}", "Evicted records a consumer group had not yet consumed.");
        RetentionDeletedSegments = _meter.CreateCounter<long>("edge.log.retention_deleted_segments", "{segment}", "Segments deleted by time or size retention.");
        RecoveryTruncatedBytes = _meter.CreateCounter<long>("edge.log.recovery_truncated_bytes", "By", "Bytes dropped from torn or corrupt tails at open.");
        DiskFullWaits = _meter.CreateCounter<long>("edge.log.disk_full_waits", "{event}", "Times a partition's write found the disk full (ENOSPC) and waited for space.");
        CompactedRecords = _meter.CreateCounter<long>("edge.log.compacted_records", "{record}", "Superseded records and expired tombstones removed by compaction.");
        _meter.CreateObservableGauge("edge.log.segments", segments, "{segment}", "Segments per topic.");
        _meter.CreateObservableGauge("edge.log.disk_bytes", diskBytes, "By", "Segment bytes on disk per topic.");
    }

    public Counter<long> RecordsAppended { get; }

    public Counter<long> BytesAppended { get; }

    public Histogram<double> FlushDuration { get; }

    public Counter<long> EvictedRecords { get; }

    public Counter<long> EvictedUnconsumed { get; }

    public Counter<long> RetentionDeletedSegments { get; }

    public Counter<long> RecoveryTruncatedBytes { get; }

    public Counter<long> CompactedRecords { get; }

    public Counter<long> DiskFullWaits { get; }

    public void Dispose() => _meter.Dispose();
}
