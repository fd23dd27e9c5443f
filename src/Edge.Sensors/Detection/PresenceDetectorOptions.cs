namespace Edge.Sensors.Detection;

/// <summary>Tuning of <see cref="PresenceDetector"/>; the defaults suit a ranging sensor looking down on a lane at 20 Hz.</summary>
public sealed record PresenceDetectorOptions
{
    /// <summary>Distance to the empty road the detector starts from (the mount height); 0 learns it from the first sample.</summary>
    public double InitialBaselineMeters { get; init; }

    /// <summary>How much nearer than the empty road a target must be to count as a vehicle (a car roof is 1.4 m or more above the road).</summary>
    public double OnThresholdMeters { get; init; } = 0.5;

    /// <summary>Nearness below which a vehicle may be declared gone (hysteresis: lower than the on threshold).</summary>
    public double OffThresholdMeters { get; init; } = 0.25;

    /// <summary>Consecutive near samples needed to declare a vehicle (rejects a bird, a raindrop, a stray echo).</summary>
    public int OnSamples { get; init; } = 2;

    /// <summary>Consecutive far samples needed to declare it gone (bridges a tow bar or the gap over a trailer hitch).</summary>
    public int OffSamples { get; init; } = 3;

    /// <summary>Time constant of the baseline's exponential average while the road is empty (follows mounting drift and temperature).</summary>
    public TimeSpan BaselineTimeConstant { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A presence longer than this is taken to be a new fixed object (roadworks, a skip, a wrong mount height): the
    /// detector re-learns the baseline at the current distance, as loop detector cards "retune" after a presence time-out.
    /// </summary>
    public TimeSpan MaxPresence { get; init; } = TimeSpan.FromMinutes(10);
}
