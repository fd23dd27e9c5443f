namespace Edge.Local.Ingest;

/// <summary>Why an ingested payload was refused; the broker maps each to an MQTT 5 PUBACK reason code.</summary>
public enum IngestRefusal
{
    None,

    /// <summary>Larger than Ingest:MaxPayloadBytes (PUBACK 0x97 Quota exceeded).</summary>
    TooLarge,

    /// <summary>Not a documented JSON reading, or its sensorId differs from the topic's (0x99 Payload format invalid).</summary>
    Malformed,

    /// <summary>The topic's sensor id is not a valid id, or is one of the gateway's own sensors (0x90 Topic name invalid).</summary>
    BadTopic,

    /// <summary>Not allowed by Ingest:Policy (0x87 Not authorized).</summary>
    UnknownSensor,

    /// <summary>The reading's kind maps to no log topic (0x99 Payload format invalid).</summary>
    NoTopic,

    /// <summary>Dated further from the gateway's clock than Ingest:MaxPastSkew / MaxFutureSkew (0x99 Payload format invalid).</summary>
    BadTimestamp,

    /// <summary>A new sensor id beyond Ingest:MaxAutoRegistered (0x97 Quota exceeded).</summary>
    TooManySensors,

    /// <summary>The node sent more than Ingest:ReadingsPerSecond (burst Ingest:Burst) (0x97 Quota exceeded; slow down and resend).</summary>
    RateLimited,

    /// <summary>The log could not store it (disk full under a Block topic, I/O error) (0x80 Unspecified error; the node retries).</summary>
    StoreFailed,
}
