using System.ComponentModel.DataAnnotations;

namespace Edge.Gateway.Configuration;

/// <summary>The "Simulation" section: what firmware-sim plays when the sensors run on register models.</summary>
public sealed class SimulationSettings : IValidatableObject
{
    public const string Section = "Simulation";

    /// <summary>A scenario name from firmware-sim's catalog (default, rush-hour, stopped-vehicle, exercise, ...).</summary>
    public string Scenario { get; set; } = "default";

    public int Seed { get; set; } = 42;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Edge.FirmwareSim.Scenarios.ScenarioCatalog.TryGet(Scenario, out _))
            yield return new ValidationResult($"Simulation:Scenario '{Scenario}' is not a known scenario; known: {string.Join(", ", Edge.FirmwareSim.Scenarios.ScenarioCatalog.Names)}");
    }
}
