using Edge.Sensors.Detection;

namespace Edge.Sensors.Tests;

public class MagneticVehicleDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private const double Hz = 50;

    /// <summary>
    /// A lane seen by a magnetometer: Earth's field with slow drift and sensor noise, plus a field bump per vehicle
    /// (a raised cosine; a vehicle of length L at speed v disturbs the sensor for about (L + 1 m) / v).
    /// </summary>
    private static IEnumerable<(DateTimeOffset T, double X, double Y, double Z)> Lane(Random random, TimeSpan duration,
        IReadOnlyList<(TimeSpan Arrival, TimeSpan Dwell, double Peak)> vehicles, double offsetSeconds = 0)
    {
        int n = (int)(duration.TotalSeconds * Hz);
        for (int i = 0; i < n; i++)
        {
            double t = i / Hz;
            double drift = 0.02 * Math.Sin(t / 600 * 2 * Math.PI); // temperature drift over minutes
            double bump = 0;
            foreach (var v in vehicles)
            {
                double u = (t - v.Arrival.TotalSeconds - offsetSeconds) / v.Dwell.TotalSeconds;
                if (u is >= 0 and <= 1) bump += v.Peak * 0.5 * (1 - Math.Cos(2 * Math.PI * u));
            }
            yield return (T0.AddSeconds(t), 0.20 + drift + 0.004 * Gauss(random), 0.05 + 0.004 * Gauss(random), 0.42 + bump + 0.004 * Gauss(random));
        }
    }

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static List<(TimeSpan Arrival, TimeSpan Dwell, double Peak)> Traffic(Random random, int count, TimeSpan duration)
    {
        var list = new List<(TimeSpan, TimeSpan, double)>();
        double t = 5;
        for (int i = 0; i < count; i++)
        {
            double dwell = random.NextDouble() * 1.2 + 0.25;
            list.Add((TimeSpan.FromSeconds(t), TimeSpan.FromSeconds(dwell), 0.15 + random.NextDouble() * 0.6));
            t += dwell + 1.0 + random.NextDouble() * (duration.TotalSeconds / count);
        }
        return list;
    }

    [Fact]
    public void Counts_every_vehicle_of_a_busy_ten_minutes_with_drift_and_noise_and_measures_dwell()
    {
        var random = new Random(42);
        var duration = TimeSpan.FromMinutes(10);
        var truth = Traffic(random, 150, duration * 0.8);
        var detector = new MagneticVehicleDetector(new VehicleDetectorOptions());
        var events = Lane(random, duration, truth).Select(s => detector.Add(s.T, s.X, s.Y, s.Z)).OfType<VehicleEvent>().ToList();
        Assert.InRange(events.Count, truth.Count * 0.98, truth.Count * 1.02);
        // Each detected passage overlaps its true passage; the raised-cosine bump is above threshold for most of it.
        foreach (var (e, v) in events.Zip(truth))
        {
            Assert.InRange((e.Arrival - T0 - v.Arrival).TotalSeconds, -0.1, v.Dwell.TotalSeconds * 0.5);
            Assert.InRange(e.Dwell.TotalSeconds, v.Dwell.TotalSeconds * 0.3, v.Dwell.TotalSeconds * 1.1);
        }
    }

    [Fact]
    public void An_empty_lane_with_drift_and_noise_gives_no_false_detection()
    {
        var detector = new MagneticVehicleDetector(new VehicleDetectorOptions());
        Assert.Empty(Lane(new Random(1), TimeSpan.FromMinutes(30), []).Select(s => detector.Add(s.T, s.X, s.Y, s.Z)).OfType<VehicleEvent>());
    }

    [Fact]
    public void A_stopped_vehicle_stays_one_detection_until_it_leaves()
    {
        var detector = new MagneticVehicleDetector(new VehicleDetectorOptions());
        var truth = new List<(TimeSpan, TimeSpan, double)> { (TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(120), 0.5) };
        var events = Lane(new Random(3), TimeSpan.FromMinutes(3), truth).Select(s => detector.Add(s.T, s.X, s.Y, s.Z)).OfType<VehicleEvent>().ToList();
        Assert.Single(events);
        // The modelled field rises and falls as a raised cosine: above the on threshold for ~78% of the 120 s stop.
        Assert.InRange(events[0].Dwell.TotalSeconds, 85, 121);
    }

    [Fact]
    public void Two_detectors_five_metres_apart_give_speed_within_ten_percent()
    {
        var random = new Random(9);
        const double distance = 5.0;
        var truth = new List<(TimeSpan Arrival, TimeSpan Dwell, double Peak, double Kmh)>();
        double t = 5;
        for (int i = 0; i < 40; i++)
        {
            double kmh = 30 + random.NextDouble() * 60;
            double dwell = (4.5 + 1.0) / (kmh / 3.6); // a 4.5 m car plus the sensor's ~1 m zone
            truth.Add((TimeSpan.FromSeconds(t), TimeSpan.FromSeconds(dwell), 0.3 + random.NextDouble() * 0.4, kmh));
            t += 3 + random.NextDouble() * 4;
        }
        var a = new MagneticVehicleDetector(new VehicleDetectorOptions());
        var b = new MagneticVehicleDetector(new VehicleDetectorOptions());
        var estimator = new SpeedEstimator(distance, TimeSpan.FromSeconds(2));
        var upstream = Lane(random, TimeSpan.FromSeconds(t + 5), truth.Select(v => (v.Arrival, v.Dwell, v.Peak)).ToList()).ToList();
        // Detector B sees each vehicle distance / v later.
        var downstream = Lane(random, TimeSpan.FromSeconds(t + 5), truth.Select(v => (v.Arrival + TimeSpan.FromSeconds(distance / (v.Kmh / 3.6)), v.Dwell, v.Peak)).ToList()).ToList();
        var speeds = new List<double>();
        for (int i = 0; i < upstream.Count; i++)
        {
            if (a.Add(upstream[i].T, upstream[i].X, upstream[i].Y, upstream[i].Z) is { } ea) estimator.AddUpstream(ea);
            if (b.Add(downstream[i].T, downstream[i].X, downstream[i].Y, downstream[i].Z) is { } eb && estimator.AddDownstream(eb) is { } kmh) speeds.Add(kmh);
        }
        Assert.Equal(truth.Count, speeds.Count);
        foreach (var (measured, v) in speeds.Zip(truth)) Assert.InRange(measured, v.Kmh * 0.9, v.Kmh * 1.1);
    }
}
