using System.ComponentModel.DataAnnotations;

namespace Edge.Gateway.Configuration;

/// <summary>The "Simulation" section: the synthetic sensor fleet used until real drivers are configured.</summary>
public sealed class SimulationSettings
{
    public const string Section = "Simulation";

    [Range(1, 100_000, ErrorMessage = "Simulation:ReadingsPerSecond must be between 1 and 100000")]
    public int ReadingsPerSecond { get; set; } = 50;

    public int Seed { get; set; } = 42;
}
