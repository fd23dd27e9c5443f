namespace Edge.Local.Broker;

/// <summary>What a client of the local broker may do (enforced by <see cref="AccessPolicy"/>).</summary>
public enum BrokerRole
{
    /// <summary>Remote sensor nodes: may only publish to <c>edge/&lt;id&gt;/ingest/&lt;sensorId&gt;</c>.</summary>
    Sensor,

    /// <summary>Dashboards and people: query, status and live readings, and their own reply topics.</summary>
    Reader,

    /// <summary>Everything.</summary>
    Admin,
}
