namespace Edge.Local.Status;

/// <summary>
/// The stream rules as the local API sees them ({"op":"rules"}, {"op":"alerts"}, the status message and the alert
/// topics), without depending on the rules library: the gateway implements it over its StreamsService, as it
/// implements <see cref="IGatewayView"/>. The alerts themselves are read from the log's alert topic, not from here.
/// </summary>
public interface IRulesView
{
    /// <summary>The log topic the rules write their raised/cleared events to (Streams:AlertTopic).</summary>
    string AlertTopic { get; }

    /// <summary>The configured rules with their counters and the keys whose alert is raised now. Thread-safe.</summary>
    IReadOnlyList<RuleSnapshot> Rules { get; }
}
