namespace Edge.Sensors.Detection;

/// <summary>
/// Thresholds of <see cref="FallDetector"/>, after the three-phase scheme common in wearable fall detection
/// (Bourke et al., "Evaluation of a threshold-based tri-axial accelerometer fall detection algorithm", Gait &amp; Posture 26, 2007).
/// </summary>
public sealed record FallDetectorOptions
{
    /// <summary>|a| below this (g) is free fall.</summary>
    public double FreeFallG { get; init; } = 0.45;

    /// <summary>Shortest free fall that counts (a fall from standing lasts ~0.3-0.5 s; a stumble less).</summary>
    public TimeSpan MinFreeFall { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>|a| above this (g) after a free fall is the impact.</summary>
    public double ImpactG { get; init; } = 2.3;

    /// <summary>How soon after the free fall the impact must come.</summary>
    public TimeSpan ImpactWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>After the impact, |a| must stay within this of 1 g (lying still)...</summary>
    public double StillToleranceG { get; init; } = 0.2;

    /// <summary>...for this long...</summary>
    public TimeSpan Inactivity { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>...starting no later than this after the impact (people who jump or stumble keep moving).</summary>
    public TimeSpan InactivityWindow { get; init; } = TimeSpan.FromSeconds(4);
}
