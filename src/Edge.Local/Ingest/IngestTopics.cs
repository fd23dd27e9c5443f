using Edge.Log;

namespace Edge.Local.Ingest;

/// <summary>
/// Where an ingested reading may be stored: only in a topic that holds readings (the gateway's Log:Topics), never in
/// the gateway's own '_' topics or the uplink's dead-letter topic, whatever kind a node claims.
/// </summary>
public static class IngestTopics
{
    public static bool IsReadingTopic(string topic, IReadOnlyCollection<string> readingTopics) =>
        !TopicConfig.IsInternal(topic) && readingTopics.Contains(topic);

    /// <summary>The topic for a kind: <c>Ingest:Topics</c> by its prefix (before the first '.'), else the prefix itself; null when that holds no readings.</summary>
    public static string? For(string kind, IReadOnlyDictionary<string, string> mapping, IReadOnlyCollection<string> readingTopics)
    {
        int dot = kind.IndexOf('.');
        string prefix = dot < 0 ? kind : kind[..dot];
        string name = mapping.GetValueOrDefault(prefix) ?? prefix;
        return IsReadingTopic(name, readingTopics) ? name : null;
    }
}
