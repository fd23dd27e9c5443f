using Edge.Log;
using Edge.Log.Configuration;
using Edge.Uplink;

namespace Edge.Gateway.Configuration;

/// <summary>
/// The log topics that hold readings: Log:Topics, without the internal topics (<see cref="TopicConfig.IsInternal(string)"/>)
/// and the uplink's dead-letter topic (Uplink:DeadLetterTopic). Ingest may store only there; the live feed follows them.
/// </summary>
public static class ReadingTopicNames
{
    public static IReadOnlyCollection<string> From(LogSectionOptions log, UplinkOptions uplink) =>
        log.UserTopicNames.Where(n => n != uplink.DeadLetterTopic).ToArray();
}
