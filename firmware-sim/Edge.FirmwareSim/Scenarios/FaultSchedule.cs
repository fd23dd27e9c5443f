namespace Edge.FirmwareSim.Scenarios;

/// <summary>
/// The faults of a scenario, applied where a real fault would act: a disconnect at the bus (the register model
/// NACKs), a stuck sensor and a noise burst on the physical input the model converts. Deterministic.
/// </summary>
public sealed class FaultSchedule(IReadOnlyList<Fault> faults, DateTimeOffset start, int seed)
{
    public IReadOnlyList<Fault> Faults => faults;

    public bool Active(string sensorId, FaultKind kind, DateTimeOffset t) => Find(sensorId, kind, t) is not null;

    /// <summary>The time the sensor's input should be evaluated at: frozen at the fault's start while stuck.</summary>
    public DateTimeOffset InputTime(string sensorId, DateTimeOffset t) =>
        Find(sensorId, FaultKind.Stuck, t) is { } f ? start + f.At : t;

    /// <summary>Adds burst noise of standard deviation <paramref name="sigma"/> while a noise burst is active.</summary>
    public double BurstNoise(string sensorId, DateTimeOffset t, double sigma, int channel = 0)
    {
        if (Find(sensorId, FaultKind.NoiseBurst, t) is null) return 0;
        return sigma * Noise.Gaussian(seed, t.UtcTicks, channel);
    }

    private Fault? Find(string sensorId, FaultKind kind, DateTimeOffset t)
    {
        foreach (var f in faults)
            if (f.Kind == kind && string.Equals(f.SensorId, sensorId, StringComparison.Ordinal) && t >= start + f.At && t < start + f.At + f.Duration)
                return f;
        return null;
    }
}
