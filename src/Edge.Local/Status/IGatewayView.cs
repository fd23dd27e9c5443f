namespace Edge.Local.Status;

/// <summary>
/// What the local API needs from the running gateway, without depending on it: its configured sensors and the
/// uplink's state. Implemented by the gateway host; data only flows out of it.
/// </summary>
public interface IGatewayView
{
    string GatewayId { get; }

    /// <summary>Sensors configured on this gateway, with their sampler counters.</summary>
    IReadOnlyList<SensorInfo> LocalSensors { get; }

    /// <summary>Log topics that hold readings (Log:Topics, without the gateway's internal and dead-letter topics): where ingest may store.</summary>
    IReadOnlyCollection<string> ReadingTopics { get; }

    /// <summary>Consumer groups whose lag the status reports (e.g. "uplink").</summary>
    IReadOnlyList<string> ConsumerGroups { get; }

    /// <summary>The uplink's state now, or null when there is no uplink (the status then says <c>"uplink":null</c>).</summary>
    UplinkSnapshot? Uplink { get; }

    /// <summary>The stream rules, or null when the gateway runs none (the rules and alerts ops then say so).</summary>
    IRulesView? Rules => null;
}
