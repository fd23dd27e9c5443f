namespace Edge.Sensors.Detection;

/// <summary>Traffic seen by a ranging presence detector during one interval: vehicles that arrived and the share of time one was present.</summary>
public readonly record struct PresenceInterval(DateTimeOffset Start, DateTimeOffset End, int Vehicles, double OccupancyPercent);
