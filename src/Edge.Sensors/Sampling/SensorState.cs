namespace Edge.Sensors.Sampling;

/// <summary>Health of a sampled sensor.</summary>
public enum SensorState
{
    /// <summary>Not read yet.</summary>
    Starting,

    /// <summary>The last read succeeded.</summary>
    Ok,

    /// <summary>The device stopped answering; the sampler retries with backoff.</summary>
    Degraded,
}
