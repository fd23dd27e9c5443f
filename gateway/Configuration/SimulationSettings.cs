namespace Edge.Gateway.Configuration;

/// <summary>The "Simulation" section: what firmware-sim plays when the sensors run on register models (<see cref="SimulationSettingsValidator"/>).</summary>
public sealed class SimulationSettings
{
    public const string Section = "Simulation";

    /// <summary>A scenario name from firmware-sim's catalog (default, rush-hour, stopped-vehicle, exercise, ...).</summary>
    public string Scenario { get; set; } = "default";

    public int Seed { get; set; } = 42;
}
