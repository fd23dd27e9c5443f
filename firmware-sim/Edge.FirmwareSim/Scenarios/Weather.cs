namespace Edge.FirmwareSim.Scenarios;

/// <summary>
/// Outdoor conditions for environment sensors: a daily temperature swing (coolest near 05:00, warmest near 15:00),
/// relative humidity moving opposite to temperature, and pressure drifting slowly around 1013 hPa as weather systems
/// pass. Pure functions of time and the seed.
/// </summary>
public sealed class Weather(int seed)
{
    private readonly double _phase = seed % 97 / 97.0 * 2 * Math.PI;

    public double TemperatureCelsius(DateTimeOffset t) => 12 + 6 * Math.Sin(2 * Math.PI * (Hour(t) - 9) / 24) + 0.5 * Math.Sin(Days(t) * 2 * Math.PI / 3 + _phase);

    public double HumidityPercent(DateTimeOffset t) => Math.Clamp(65 - 2.5 * (TemperatureCelsius(t) - 12), 5, 100);

    public double PressurePascals(DateTimeOffset t) => 101_325 + 900 * Math.Sin(Days(t) * 2 * Math.PI / 4.5 + _phase);

    /// <summary>Indoor room temperature for a ward (heating holds it near 22 °C).</summary>
    public double IndoorCelsius(DateTimeOffset t) => 22 + 0.6 * Math.Sin(2 * Math.PI * (Hour(t) - 14) / 24);

    private static double Hour(DateTimeOffset t) => t.UtcDateTime.TimeOfDay.TotalHours;

    private static double Days(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 86_400_000.0;
}
