namespace Edge.Streams.Configuration;

/// <summary>The "Streams" section: where alerts and checkpoints go and the time semantics (STREAMS.md §3).</summary>
public sealed class StreamsOptions
{
    public const string Section = "Streams";

    /// <summary>The log topic alerts are appended to (created with <see cref="AlertPriority"/> if missing).</summary>
    public string AlertTopic { get; set; } = "alerts";

    /// <summary>Above every reading topic (health is 10) so the uplink's priority gate sends alerts first.</summary>
    public int AlertPriority { get; set; } = 100;

    /// <summary>Internal compacted topic holding the engine's checkpoint ('_' topics are not forwarded).</summary>
    public string CheckpointTopic { get; set; } = "_streams";

    /// <summary>How far behind a partition's newest event time a reading may arrive and still count.</summary>
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A partition with no record for this long (processing time) stops holding the rule clock back.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Readings stamped further than this ahead of the gateway's clock do not move time (a stepped clock).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this long between checkpoints while readings flow.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checkpoint after this many readings at the latest.</summary>
    public int CheckpointEvery { get; set; } = 10_000;

    /// <summary>The reading topics rules read; empty: every topic but internal ('_') and output ones.</summary>
    public List<string> Topics { get; set; } = [];

    /// <summary>false: no rule runs (the section Rules is ignored).</summary>
    public bool Enabled { get; set; } = true;
}
