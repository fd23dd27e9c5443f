namespace Edge.Readings;

/// <summary>How far a reading can be trusted.</summary>
public enum ReadingQuality : byte
{
    /// <summary>Read from a working device.</summary>
    Ok = 0,

    /// <summary>The device answered but is unreliable (retries, out-of-range raw values, a stuck sensor suspected).</summary>
    Degraded = 1,

    /// <summary>Produced by firmware-sim, not by hardware.</summary>
    Simulated = 2,
}
