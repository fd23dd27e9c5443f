namespace Edge.Uplink.Payload;

/// <summary>
/// Identifies the readings of a message forever: gateway, log topic, partition and the offset range. A redelivery
/// after a reconnect or a crash carries the same key (or, for a re-split batch, a sub-range), so the cloud side drops
/// duplicates by remembering, per (gateway, topic, partition), the highest last offset it has stored (UPLINK.md §4).
/// </summary>
public readonly record struct IdempotencyKey(string Gateway, string Topic, int Partition, long First, long Last)
{
    /// <summary>"gateway/topic/partition/first-last", e.g. "edge-dev/traffic/2/1200-1699".</summary>
    public override string ToString() => $"{Gateway}/{Topic}/{Partition}/{First}-{Last}";
}
