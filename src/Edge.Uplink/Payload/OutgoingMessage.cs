namespace Edge.Uplink.Payload;

/// <summary>One MQTT message the uplink will publish: the readings of offsets First..Last of one partition.</summary>
public sealed record OutgoingMessage(string Topic, byte[] Payload, IdempotencyKey Key, int Readings, string ContentType)
{
    public long First => Key.First;

    public long Last => Key.Last;
}
