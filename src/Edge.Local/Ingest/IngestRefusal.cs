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

    /// <summary>The log could not store it (disk full under a Block topic, I/O error) (0x80 Unspecified error; the node retries).</summary>
    StoreFailed,
}
