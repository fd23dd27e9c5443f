namespace Edge.Uplink;

/// <summary>How readings are packed into MQTT messages (see UPLINK.md for the schemas).</summary>
public enum PayloadFormat
{
    /// <summary>One JSON reading per message on a per-sensor topic: what stock tools and rules engines read directly.</summary>
    Json,

    /// <summary>Up to <see cref="UplinkOptions.BatchMaxReadings"/> readings of one partition as one JSON message.</summary>
    JsonBatch,

    /// <summary>A columnar, delta-encoded, Brotli-compressed batch: a few bytes per reading for cellular links.</summary>
    BinaryBatch,

    /// <summary>
    /// The stored binary readings of one partition, framed as they are ("ER"): no decoding, no compression. The fastest
    /// batch to produce; 17-36x the bytes of <see cref="BinaryBatch"/>, which stays the choice for metered links.
    /// </summary>
    RecordsBatch,
}
