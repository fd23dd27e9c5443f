namespace Edge.Local.Broker;

/// <summary>
/// The broker's access rules per identity. Sensors may only publish their readings to ingest (for their own sensor
/// ids when the account lists them); readers may query and watch (status, live) and subscribe to their own reply
/// topics anywhere outside the gateway's tree, but never see ingest traffic; admins may do everything.
/// </summary>
public sealed class AccessPolicy(LocalTopics topics)
{
    /// <summary>Null when <paramref name="who"/> may publish to <paramref name="topic"/>, else why not.</summary>
    public string? PublishRefusal(ClientIdentity who, string topic) => who.Role switch
    {
        BrokerRole.Admin => null,
        BrokerRole.Sensor when topics.IngestSensor(topic) is not { Length: > 0 } sensor || sensor.Contains('/') =>
            $"role sensor may only publish to {topics.IngestPrefix}<sensorId>, not '{topic}'",
        BrokerRole.Sensor when !SensorPatterns.Allows(who.Sensors, topics.IngestSensor(topic)!) =>
            $"sensor id '{topics.IngestSensor(topic)}' is not one of this account's (Broker:Users:{who.User}:Sensors: {string.Join(", ", who.Sensors)})",
        BrokerRole.Sensor => null,
        BrokerRole.Reader when topic == topics.Query => null,
        _ => $"role {who.Role.ToString().ToLowerInvariant()} may not publish to '{topic}'",
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
