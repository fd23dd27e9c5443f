namespace Edge.FirmwareSim.Scenarios;

/// <summary>What happens to a simulated patient; times are offsets from the scenario start.</summary>
public sealed record HealthProfile
{
    public double RestingHeartRate { get; init; } = 68;

    public double RestingSpO2 { get; init; } = 97.5;

    public double BodyTemperature { get; init; } = 36.8;

    /// <summary>Exercise bouts: heart rate climbs towards <c>HeartRate</c> (time constant 40 s) and recovers after.</summary>
    public IReadOnlyList<(TimeSpan At, TimeSpan Duration, double HeartRate)> Exercise { get; init; } = [];

    /// <summary>Atrial-fibrillation-like episodes: beat-to-beat intervals vary by ±25%.</summary>
    public IReadOnlyList<(TimeSpan At, TimeSpan Duration)> Arrhythmia { get; init; } = [];

    /// <summary>Desaturation episodes: SpO2 falls to <c>Nadir</c> over a minute, holds, and recovers over a minute.</summary>
    public IReadOnlyList<(TimeSpan At, TimeSpan Duration, double Nadir)> Desaturation { get; init; } = [];

    /// <summary>Fever: body temperature rises to <c>Peak</c> over the first quarter of the episode and falls over the last.</summary>
    public IReadOnlyList<(TimeSpan At, TimeSpan Duration, double Peak)> Fever { get; init; } = [];

    /// <summary>Falls: free fall, impact, then lying still for a minute.</summary>
    public IReadOnlyList<TimeSpan> Falls { get; init; } = [];

    /// <summary>Repeats the first fall at this period (a demo that shows falls however long it runs).</summary>
    public TimeSpan? FallEvery { get; init; }
}
