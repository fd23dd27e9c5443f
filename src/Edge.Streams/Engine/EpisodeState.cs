namespace Edge.Streams.Engine;

/// <summary>What every alerting rule remembers per key: whether its alert is raised, since when, and how many episodes there were.</summary>
internal class EpisodeState
{
    public bool Raised { get; set; }

    public long EpisodeStart { get; set; }

    /// <summary>Episodes raised so far for this key: the alert reading's sequence number.</summary>
    public long Episode { get; set; }
}
