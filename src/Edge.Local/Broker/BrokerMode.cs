namespace Edge.Local.Broker;

/// <summary>How the gateway serves its local MQTT topics.</summary>
public enum BrokerMode
{
    /// <summary>Hosts its own broker (MQTTnet.Server) — the default; PUBACKs of ingest mean "durable".</summary>
    Embedded,

    /// <summary>Connects as a client to a broker already on the device (e.g. Mosquitto) and serves the same topics there.</summary>
    Client,

    /// <summary>No local MQTT at all.</summary>
    Off,
}
