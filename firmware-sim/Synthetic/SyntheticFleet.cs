namespace Edge.FirmwareSim.Synthetic;

/// <summary>
/// A deterministic fleet of synthetic traffic, health and environment sensors. Given a seed and a timestamp it
/// produces plausible values (vehicle counts with a rush-hour curve, a resting heart rate with noise, a daily
/// temperature swing), so the gateway has realistic data before the real drivers are wired in.
/// </summary>
public sealed class SyntheticFleet(int seed = 42)
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, long> _sequences = [];

    public static IReadOnlyList<(string Id, string Kind, string Topic)> Sensors { get; } =
    [
        ("loop-n1", "traffic.vehicle", "traffic"),
        ("loop-s1", "traffic.vehicle", "traffic"),
        ("mag-n1", "traffic.occupancy", "traffic"),
        ("hr-bed1", "health.heart_rate", "health"),
        ("spo2-bed1", "health.spo2", "health"),
        ("temp-bed1", "health.body_temperature", "health"),
        ("env-1", "environment", "environment"),
    ];

    public SyntheticReading Next(int sensorIndex, DateTimeOffset now)
    {
        var (id, kind, topic) = Sensors[sensorIndex % Sensors.Count];
        long seq = _sequences.TryGetValue(id, out long s) ? s + 1 : 0;
        _sequences[id] = seq;
        double hour = now.UtcDateTime.TimeOfDay.TotalHours;
        // Two rush hours (08:00 and 17:30) on a base flow: a Gaussian bump each.
        double rush = 1 + 3 * Math.Exp(-Math.Pow(hour - 8, 2) / 2) + 3 * Math.Exp(-Math.Pow(hour - 17.5, 2) / 2);
        var values = kind switch
        {
            "traffic.vehicle" => new Dictionary<string, double> { ["count"] = Poisson(0.5 * rush), ["speed_kmh"] = 45 + 10 * Gaussian() },
            "traffic.occupancy" => new Dictionary<string, double> { ["occupancy_pct"] = Math.Clamp(8 * rush + 3 * Gaussian(), 0, 100) },
            "health.heart_rate" => new Dictionary<string, double> { ["bpm"] = Math.Round(68 + 3 * Gaussian()) },
            "health.spo2" => new Dictionary<string, double> { ["pct"] = Math.Clamp(Math.Round(97.5 + 0.8 * Gaussian(), 1), 80, 100) },
            "health.body_temperature" => new Dictionary<string, double> { ["celsius"] = Math.Round(36.8 + 0.15 * Gaussian(), 2) },
            _ => new Dictionary<string, double>
            {
                ["celsius"] = Math.Round(15 + 6 * Math.Sin((hour - 9) / 24 * 2 * Math.PI) + 0.2 * Gaussian(), 2),
                ["humidity_pct"] = Math.Round(55 + 5 * Gaussian(), 1),
                ["pressure_hpa"] = Math.Round(1013 + 2 * Gaussian(), 1),
            },
        };
        return new SyntheticReading(id, kind, topic, now.ToUnixTimeMilliseconds(), seq, values);
    }

    private double Gaussian()
    {
        // Box-Muller transform.
        double u1 = 1.0 - _random.NextDouble();
        double u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private int Poisson(double lambda)
    {
        // Knuth's method; lambda stays small here.
        double l = Math.Exp(-lambda), p = 1;
        int k = 0;
        do { k++; p *= _random.NextDouble(); } while (p > l);
        return k - 1;
    }
}
