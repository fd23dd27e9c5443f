namespace Edge.Local.Status;

/// <summary>
/// The log topics that hold readings (the gateway's Log:Topics without its internal and dead-letter topics): where
/// ingest may store and what the live feed follows. Provided by the host from its configuration alone, so checking
/// "Ingest:Topics" against it opens nothing.
/// </summary>
public sealed record ReadingTopics(IReadOnlyCollection<string> Names);
