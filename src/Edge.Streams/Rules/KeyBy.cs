namespace Edge.Streams.Rules;

/// <summary>What a rule's state is keyed by (STREAMS.md §4).</summary>
public enum KeyBy
{
    /// <summary>The reading's sensor id.</summary>
    Sensor,

    /// <summary>The sensor's configured Site (Sensors:&lt;id&gt;:Site); the sensor id when it has none.</summary>
    Site,

    /// <summary>A value of the reading (e.g. a lane number), formatted invariantly.</summary>
    Field,
}
