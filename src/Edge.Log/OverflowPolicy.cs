namespace Edge.Log;

/// <summary>What a topic does when the log's disk budget is reached.</summary>
public enum OverflowPolicy
{
    /// <summary>Its oldest sealed segments may be evicted (lowest priority first) to make room.</summary>
    Evict,

    /// <summary>Its data is never evicted for the budget; appends wait until space frees up (back-pressure).</summary>
    Block,
}
