namespace Edge.Local.Broker;

/// <summary>
/// The broker's access rules per role. Sensors may only publish their readings to ingest; readers may query and
/// watch (status, live) and subscribe to their own reply topics anywhere outside the gateway's tree, but never see
/// ingest traffic; admins may do everything.
/// </summary>
public sealed class AccessPolicy(LocalTopics topics)
{
    public bool CanPublish(BrokerRole role, string topic) => role switch
    {
        BrokerRole.Admin => true,
        BrokerRole.Sensor => topics.IngestSensor(topic) is { Length: > 0 } sensor && !sensor.Contains('/'),
        BrokerRole.Reader => topic == topics.Query,
        _ => false,
    };

    public bool CanSubscribe(BrokerRole role, string filter) => role switch
    {
        BrokerRole.Admin => true,
        BrokerRole.Reader => !Intersects(filter, topics.IngestPrefix + "+"),
        _ => false,
    };

    // A filter such as "#", "edge/+/ingest/#" or "edge/+/ingest/node-7" would reveal ingest traffic: refuse any filter
    // that some ingest topic could match, comparing level by level with the wildcards of both (MQTT 5 §4.7).
    internal static bool Intersects(string filter, string pattern)
    {
        var a = filter.Split('/');
        var b = pattern.Split('/');
        for (int i = 0; ; i++)
        {
            if (i < a.Length && a[i] == "#" || i < b.Length && b[i] == "#") return true;
            if (i == a.Length || i == b.Length) return a.Length == b.Length;
            if (a[i] != "+" && b[i] != "+" && a[i] != b[i]) return false;
        }
    }
}
