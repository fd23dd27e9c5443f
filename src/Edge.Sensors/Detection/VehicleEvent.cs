namespace Edge.Sensors.Detection;

/// <summary>A vehicle that passed over (or stopped on) a detector.</summary>
/// <param name="Arrival">First sample of the detection.</param>
/// <param name="Departure">Last sample above the off threshold.</param>
/// <param name="PeakDeviationGauss">Largest |B − baseline| during the passage (bigger vehicles, lower chassis: larger).</param>
public sealed record VehicleEvent(DateTimeOffset Arrival, DateTimeOffset Departure, double PeakDeviationGauss)
{
    /// <summary>Time the vehicle occupied the detection zone.</summary>
    public TimeSpan Dwell => Departure - Arrival;
}
