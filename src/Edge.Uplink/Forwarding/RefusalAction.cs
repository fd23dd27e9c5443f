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
    public static RefusalAction For(MqttClientPublishReasonCode reason, int readings) => reason switch
    {
        MqttClientPublishReasonCode.PacketIdentifierInUse => RefusalAction.RetryLater,
        MqttClientPublishReasonCode.QuotaExceeded => RefusalAction.RetryLater,
        MqttClientPublishReasonCode.UnspecifiedError => RefusalAction.RetryLater,
        // Mosquitto answers a message over message_size_limit with "implementation specific error": splitting helps.
        MqttClientPublishReasonCode.ImplementationSpecificError => readings > 1 ? RefusalAction.Split : RefusalAction.RetryLater,
        MqttClientPublishReasonCode.NotAuthorized or MqttClientPublishReasonCode.TopicNameInvalid or MqttClientPublishReasonCode.PayloadFormatInvalid => RefusalAction.Park,
        _ => RefusalAction.RetryLater,
    };
}
