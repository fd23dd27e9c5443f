using Edge.Readings;
using Edge.Streams.Alerts;

namespace Edge.Streams.Engine;

/// <summary>A reading the engine produced: an alert (topic = the alert topic) or a window summary (its Output topic).</summary>
/// <param name="RecordKey">Deterministic: the alert's idempotency key, or "rule/key/windowStart" for a summary.</param>
public sealed record Emitted(string Topic, string RecordKey, Reading Reading, AlertEvent? Alert);
