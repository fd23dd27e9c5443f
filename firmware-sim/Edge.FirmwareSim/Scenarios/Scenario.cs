namespace Edge.FirmwareSim.Scenarios;

/// <summary>A named simulation: the road, the patient, the faults, and when in the day it starts.</summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>Time of day (UTC) the scenario starts at; null starts at the clock's current time.</summary>
    public TimeSpan? StartTimeOfDay { get; init; }

    public TrafficProfile Traffic { get; init; } = new();

    public HealthProfile Health { get; init; } = new();

    public IReadOnlyList<Fault> Faults { get; init; } = [];

    /// <summary>How long the CLI runs it by default (virtual time).</summary>
    public TimeSpan SuggestedDuration { get; init; } = TimeSpan.FromMinutes(5);
}
