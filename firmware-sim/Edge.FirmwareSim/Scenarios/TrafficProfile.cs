namespace Edge.FirmwareSim.Scenarios;

/// <summary>How busy a simulated road is.</summary>
public sealed record TrafficProfile
{
    /// <summary>Arrivals per hour per lane at the top of a rush hour.</summary>
    public double PeakVehiclesPerHour { get; init; } = 900;

    /// <summary>Flow outside the rush hours as a share of the peak (night and midday).</summary>
    public double OffPeakShare { get; init; } = 0.15;

    /// <summary>Hours of day (UTC) of the rush-hour peaks; each is a Gaussian bump one hour wide.</summary>
    public IReadOnlyList<double> RushHours { get; init; } = [8, 17.5];

    /// <summary>Above this flow (vehicles/h) traffic is congested: speeds fall to a crawl and vehicles queue bumper to bumper.</summary>
    public double CongestionAbovePerHour { get; init; } = double.PositiveInfinity;

    /// <summary>Vehicles that stop on the detector: offset from the scenario start and how long they stand.</summary>
    public IReadOnlyList<(TimeSpan At, TimeSpan Duration)> StoppedVehicles { get; init; } = [];
}
