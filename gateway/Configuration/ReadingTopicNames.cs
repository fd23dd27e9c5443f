using Edge.Uplink;

namespace Edge.Gateway.Configuration;

/// <summary>
/// The log topics that hold readings: Log:Topics, without the gateway's internal '_' topics and the uplink's
/// dead-letter topic (Uplink:DeadLetterTopic). Ingest may store only there.
/// </summary>
public static class ReadingTopicNames
{
    public static IReadOnlyCollection<string> From(LogSettings log, UplinkOptions uplink) =>
        log.Topics.Keys.Where(n => !n.StartsWith('_') && n != uplink.DeadLetterTopic).ToArray();
}
