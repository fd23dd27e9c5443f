namespace Edge.Log;

/// <summary>What happens to old data of a topic (Kafka's cleanup.policy).</summary>
public enum CleanupPolicy
{
    /// <summary>Whole sealed segments are deleted by age and size.</summary>
    Delete,

    /// <summary>Only the latest record per key is kept; tombstones go after <see cref="TopicConfig.TombstoneRetention"/>.</summary>
    Compact,
}
