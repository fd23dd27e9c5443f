namespace Edge.Uplink.Payload;

/// <summary>Expands "edge/{gateway}/{topic}/{sensor}" for a message.</summary>
public sealed class TopicTemplate(string template, string gateway)
{
    public string Expand(string topic, int partition, string sensor) => template
        .Replace("{gateway}", gateway, StringComparison.Ordinal)
        .Replace("{topic}", topic, StringComparison.Ordinal)
        .Replace("{partition}", partition.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{sensor}", sensor, StringComparison.Ordinal);
}
