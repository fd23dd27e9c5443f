namespace Edge.Local;

/// <summary>
/// The MQTT topics a gateway serves locally, all under <c>edge/&lt;gatewayId&gt;/</c> so several gateways can share
/// one broker: <c>query</c> (requests), <c>status</c> (retained health), <c>live/&lt;topic&gt;/&lt;sensorId&gt;</c>
/// (readings as they are stored) and <c>ingest/&lt;sensorId&gt;</c> (readings from remote nodes).
/// </summary>
public sealed class LocalTopics(string gatewayId)
{
    public string GatewayId => gatewayId;

    public string Root { get; } = $"edge/{gatewayId}/";

    public string Query => Root + "query";

    public string Status => Root + "status";

    public string LivePrefix => Root + "live/";

    public string IngestPrefix => Root + "ingest/";

    public string Live(string topic, string sensorId) => $"{LivePrefix}{topic}/{sensorId}";

    public string AlertsPrefix => Root + "alerts/";

    /// <summary>
    /// <c>edge/&lt;id&gt;/alerts/&lt;rule&gt;/&lt;key&gt;</c>: one retained topic per rule and key, so a subscriber to
    /// <c>alerts/&lt;rule&gt;/+</c> gets every event live and, on subscribing, the current state of each key. Characters
    /// a topic level cannot hold ('/', '+', '#') in a key become '_'.
    /// </summary>
    public string Alert(string rule, string key) => $"{AlertsPrefix}{Level(rule)}/{Level(key)}";

    private static string Level(string s) => s.AsSpan().IndexOfAny('/', '+', '#') < 0 ? s : s.Replace('/', '_').Replace('+', '_').Replace('#', '_');

    /// <summary>The sensor id of an ingest topic, or null when <paramref name="topic"/> is not one.</summary>
    public string? IngestSensor(string topic) =>
        topic.StartsWith(IngestPrefix, StringComparison.Ordinal) ? topic[IngestPrefix.Length..] : null;
}
