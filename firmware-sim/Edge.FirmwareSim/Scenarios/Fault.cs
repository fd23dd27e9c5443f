namespace Edge.FirmwareSim.Scenarios;

/// <summary>A fault injected into one simulated sensor, <paramref name="At"/> after the scenario start.</summary>
public sealed record Fault(string SensorId, FaultKind Kind, TimeSpan At, TimeSpan Duration);
