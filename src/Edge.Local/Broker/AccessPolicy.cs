using MQTTnet;

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
        BrokerRole.Reader => !Overlaps(filter, topics.IngestPrefix + "x"),
        _ => false,
    };

    // A filter such as "#" or "edge/+/ingest/#" would reveal ingest traffic: refuse any filter matching an ingest topic.
    private static bool Overlaps(string filter, string sampleTopic) =>
        MqttTopicFilterComparer.Compare(sampleTopic, filter) == MqttTopicFilterCompareResult.IsMatch;
}
