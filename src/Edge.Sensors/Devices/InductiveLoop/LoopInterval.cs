namespace Edge.Sensors.Devices.InductiveLoop;

/// <summary>Traffic over one loop during one interval: vehicles that arrived and the share of time the loop was occupied.</summary>
public readonly record struct LoopInterval(DateTimeOffset Start, DateTimeOffset End, int Vehicles, double OccupancyPercent);
