namespace Edge.Sensors.Detection;

/// <summary>Tuning of <see cref="MagneticVehicleDetector"/>; the defaults suit a surface-mounted sensor in a lane at 50 Hz.</summary>
public sealed record VehicleDetectorOptions
{
    /// <summary>Deviation from the baseline (gauss) that starts a detection.</summary>
    public double OnThresholdGauss { get; init; } = 0.06;

    /// <summary>Deviation below which a detection may end (hysteresis: lower than the on threshold).</summary>
    public double OffThresholdGauss { get; init; } = 0.03;

    /// <summary>Consecutive samples above the on threshold needed to declare a vehicle (debounces noise spikes).</summary>
    public int OnSamples { get; init; } = 3;

    /// <summary>Consecutive samples below the off threshold needed to declare it gone (bridges the gap between axles).</summary>
    public int OffSamples { get; init; } = 10;

    /// <summary>Time constant of the baseline's exponential average while the lane is empty (follows temperature and Earth-field drift).</summary>
    public TimeSpan BaselineTimeConstant { get; init; } = TimeSpan.FromSeconds(30);
}
