namespace Edge.Readings;

/// <summary>The reading kinds the gateway's sensors produce. Kinds are open: any [a-z0-9._] name of up to 64 characters is valid.</summary>
public static class ReadingKinds
{
    public const string TrafficVehicle = "traffic.vehicle";
    public const string TrafficOccupancy = "traffic.occupancy";
    public const string TrafficMotion = "traffic.motion";
    public const string TrafficDistance = "traffic.distance";
    public const string TrafficMagneticField = "traffic.magnetic_field";
    public const string HeartRate = "health.heart_rate";
    public const string SpO2 = "health.spo2";
    public const string BodyTemperature = "health.body_temperature";
    public const string Fall = "health.fall";
    public const string Environment = "environment";
}
