namespace Edge.Local.Status;

/// <summary>A sensor as the local API shows it: configured on this gateway ("local") or a remote node ("ingest").</summary>
public sealed record SensorInfo(
    string Id,
    string Type,
    string Kind,
    string Topic,
    string Source,
    string State,
    long Readings,
    long Dropped,
    DateTimeOffset? LastReadingAt);
