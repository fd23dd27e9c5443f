using Edge.Local.Ingest;
using Edge.Local.Live;
using Edge.Local.Query;
using Edge.Local.Status;

namespace Edge.Local.Broker;

/// <summary>Everything a transport (the embedded broker or a client of an existing one) serves.</summary>
public sealed record LocalApi(LocalTopics Topics, QueryEndpoint Queries, IngestService Ingest, StatusWriter Status, LiveFeed Live);
