using Edge.Readings;

namespace Edge.FirmwareSim.Cli.Synthetic;

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
        ("loop-n1", ReadingKinds.TrafficVehicle, "traffic"),
        ("loop-s1", ReadingKinds.TrafficVehicle, "traffic"),
        ("mag-n1", ReadingKinds.TrafficOccupancy, "traffic"),
        ("hr-bed1", ReadingKinds.HeartRate, "health"),
        ("spo2-bed1", ReadingKinds.SpO2, "health"),
        ("temp-bed1", ReadingKinds.BodyTemperature, "health"),
        ("env-1", ReadingKinds.Environment, "environment"),
    ];

    /// <summary>The topic a sensor's readings go to.</summary>
    public static string TopicOf(int sensorIndex) => Sensors[sensorIndex % Sensors.Count].Topic;

    public Reading Next(int sensorIndex, DateTimeOffset now)
    {
        var (id, kind, _) = Sensors[sensorIndex % Sensors.Count];
        long seq = _sequences.TryGetValue(id, out long s) ? s + 1 : 0;
        _sequences[id] = seq;
        double hour = now.UtcDateTime.TimeOfDay.TotalHours;
        // Two rush hours (08:00 and 17:30) on a base flow: a Gaussian bump each.
        double rush = 1 + 3 * Math.Exp(-Math.Pow(hour - 8, 2) / 2) + 3 * Math.Exp(-Math.Pow(hour - 17.5, 2) / 2);
        var values = kind switch
        {
            ReadingKinds.TrafficVehicle => new ReadingValue[] { new("count", Poisson(0.5 * rush), "{vehicle}"), new("speed", Math.Round(45 + 10 * Gaussian(), 1), "km/h") },
            ReadingKinds.TrafficOccupancy => [new("occupancy", Math.Round(Math.Clamp(8 * rush + 3 * Gaussian(), 0, 100), 1), "%")],
            ReadingKinds.HeartRate => [new("bpm", Math.Round(68 + 3 * Gaussian()), "/min")],
            ReadingKinds.SpO2 => [new("spo2", Math.Clamp(Math.Round(97.5 + 0.8 * Gaussian(), 1), 80, 100), "%")],
            ReadingKinds.BodyTemperature => [new("temperature", Math.Round(36.8 + 0.15 * Gaussian(), 2), "Cel")],
            _ =>
            [
                new("temperature", Math.Round(15 + 6 * Math.Sin((hour - 9) / 24 * 2 * Math.PI) + 0.2 * Gaussian(), 2), "Cel"),
                new("humidity", Math.Round(55 + 5 * Gaussian(), 1), "%"),
                new("pressure", Math.Round(1013 + 2 * Gaussian(), 1), "hPa"),
            ],
        };
        return new Reading(id, kind, now, values, ReadingQuality.Simulated, seq);
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
