using MQTTnet;

namespace Edge.Uplink.Forwarding;

/// <summary>What the uplink does with a message the broker refused (an MQTT 5 PUBACK reason code ≥ 0x80).</summary>
public enum RefusalAction
{
    /// <summary>Too large: send the same readings again in halves (a single reading is parked instead).</summary>
    Split,

    /// <summary>Transient (quota, unspecified, implementation-specific): resend after Uplink:RetryDelay, parking after 5 attempts.</summary>
    RetryLater,

    /// <summary>Permanent (not authorised, topic or payload invalid): park the readings in the dead-letter topic with the reason.</summary>
    Park,
}

/// <summary>The reason-code policy (MQTT 5.0 §3.4.2.1 lists the PUBACK reason codes).</summary>
public static class RefusalPolicy
{
    /// <summary>
    /// 0x95 "Packet too large" is not a PUBACK code in MQTT 5.0 §3.4.2.1 and MQTTnet's enum lacks it, but Mosquitto 2.0
    /// answers a PUBLISH over message_size_limit with it (then drops the connection): the readings must go smaller.
    /// </summary>
    public const MqttClientPublishReasonCode PacketTooLarge = (MqttClientPublishReasonCode)0x95;

    /// <summary>The reason's name for logs, counters and dead-letter headers ("149" would tell an operator nothing).</summary>
    public static string Name(MqttClientPublishReasonCode reason) => reason == PacketTooLarge ? "PacketTooLarge" : reason.ToString();

    public static RefusalAction For(MqttClientPublishReasonCode reason, int readings) => reason switch
    {
        // Split down to one reading; a single reading that is still too large can never fit and is parked at once.
        PacketTooLarge => RefusalAction.Split,
        MqttClientPublishReasonCode.PacketIdentifierInUse => RefusalAction.RetryLater,
        MqttClientPublishReasonCode.QuotaExceeded => RefusalAction.RetryLater,
        MqttClientPublishReasonCode.UnspecifiedError => RefusalAction.RetryLater,
        // Other brokers answer a message over their size limit with "implementation specific error": splitting may help.
        MqttClientPublishReasonCode.ImplementationSpecificError => readings > 1 ? RefusalAction.Split : RefusalAction.RetryLater,
        MqttClientPublishReasonCode.NotAuthorized or MqttClientPublishReasonCode.TopicNameInvalid or MqttClientPublishReasonCode.PayloadFormatInvalid => RefusalAction.Park,
        _ => RefusalAction.RetryLater,
    };
}
