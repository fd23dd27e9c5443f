using Edge.FirmwareSim.Scenarios;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Configuration;

/// <summary>Validates the "Simulation" section at start: the scenario must be one of firmware-sim's catalog.</summary>
public sealed class SimulationSettingsValidator : IValidateOptions<SimulationSettings>
{
    public ValidateOptionsResult Validate(string? name, SimulationSettings options) =>
        ScenarioCatalog.TryGet(options.Scenario, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Simulation:Scenario '{options.Scenario}' is not a known scenario; known: {string.Join(", ", ScenarioCatalog.Names)}");
}
