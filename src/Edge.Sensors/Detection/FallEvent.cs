namespace Edge.Sensors.Detection;

/// <summary>A detected fall: free fall, impact, then inactivity.</summary>
public sealed record FallEvent(DateTimeOffset Impact, double PeakG, TimeSpan FreeFall);
