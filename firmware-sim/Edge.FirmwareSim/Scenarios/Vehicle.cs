namespace Edge.FirmwareSim.Scenarios;

/// <summary>One simulated vehicle over a lane's detection zone (times in Unix seconds).</summary>
/// <param name="Start">When its front enters the zone.</param>
/// <param name="Dwell">How long it occupies the zone (length plus zone over speed; the stop time for a stopped vehicle).</param>
/// <param name="PeakGauss">Its largest field disturbance at the magnetometer (steel mass and ground clearance).</param>
/// <param name="SpeedKmh">0 for a stopped vehicle.</param>
/// <param name="HeightMeters">Roof height, for ranging sensors looking down or across.</param>
public readonly record struct Vehicle(double Start, double Dwell, double PeakGauss, double SpeedKmh, double HeightMeters)
{
    public double End => Start + Dwell;
}
