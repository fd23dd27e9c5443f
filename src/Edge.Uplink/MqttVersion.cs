namespace Edge.Uplink;

/// <summary>The MQTT protocol version spoken to the upstream broker.</summary>
public enum MqttVersion
{
    /// <summary>MQTT 5.0: reason codes in PUBACK, user properties carry the idempotency key.</summary>
    V5,

    /// <summary>MQTT 3.1.1 for older brokers: no reason codes or user properties (the key is still in the payload).</summary>
    V311,
}
