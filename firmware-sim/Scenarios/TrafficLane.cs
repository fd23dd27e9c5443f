namespace Edge.FirmwareSim.Scenarios;

/// <summary>
/// The magnetic field over a lane sensor: the Earth's field plus a bump for each passing vehicle. Arrivals follow a
/// Poisson process whose rate follows the day (two rush hours); each vehicle's length, speed and steel mass set how
/// long and how strongly it disturbs the field. Deterministic for a seed: the same time always gives the same field.
/// </summary>
public sealed class TrafficLane(int seed = 7, double vehiclesPerHourAtPeak = 900)
{
    private readonly List<(double Start, double Dwell, double Peak)> _vehicles = [];
    private readonly Random _random = new(seed);
    private double _generatedUntil = double.NaN;

    private int _retired;

    /// <summary>Vehicles that have arrived by <paramref name="t"/> (ground truth for tests and dashboards).</summary>
    public int VehiclesSoFar(DateTimeOffset t) => _retired + _vehicles.Count(v => v.Start <= Seconds(t));

    public (double X, double Y, double Z) FieldAt(DateTimeOffset time)
    {
        double t = Seconds(time);
        if (double.IsNaN(_generatedUntil)) _generatedUntil = t;
        while (_generatedUntil < t + 5)
        {
            double hour = DateTimeOffset.FromUnixTimeMilliseconds((long)(_generatedUntil * 1000)).UtcDateTime.TimeOfDay.TotalHours;
            double perHour = vehiclesPerHourAtPeak * (0.15 + 0.85 * Math.Max(Math.Exp(-Math.Pow(hour - 8, 2) / 2), Math.Exp(-Math.Pow(hour - 17.5, 2) / 2)));
            double gap = -Math.Log(1 - _random.NextDouble()) * 3600 / perHour;
            double kmh = 30 + _random.NextDouble() * 30;
            double dwell = (3.5 + _random.NextDouble() * 2.5 + 1.0) / (kmh / 3.6); // length + detection zone over speed
            _generatedUntil += Math.Max(gap, dwell + 0.5);
            _vehicles.Add((_generatedUntil, dwell, 0.15 + _random.NextDouble() * 0.5));
        }
        // Forget vehicles long gone so memory stays flat however long the simulation runs.
        while (_vehicles.Count > 0 && _vehicles[0].Start + _vehicles[0].Dwell < t - 60)
        {
            _vehicles.RemoveAt(0);
            _retired++;
        }
        double bump = 0;
        foreach (var v in _vehicles)
        {
            double u = (t - v.Start) / v.Dwell;
            if (u is >= 0 and <= 1) bump += v.Peak * 0.5 * (1 - Math.Cos(2 * Math.PI * u));
        }
        return (0.20, 0.05, 0.42 + bump);
    }

    private static double Seconds(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;
}
