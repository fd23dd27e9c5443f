using Edge.Sensors.Detection;

namespace Edge.Sensors.Tests;

public class FallDetectorTests
{
    private const double Hz = 50;
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Activities as |a| traces (g) along z with small sensor noise on all axes.</summary>
    private sealed class Body(Random random)
    {
        public List<(double T, double X, double Y, double Z)> Samples { get; } = [];

        private double _t;

        private void Emit(double seconds, Func<double, double> magnitude)
        {
            for (double s = 0; s < seconds; s += 1 / Hz, _t += 1 / Hz)
                Samples.Add((_t, 0.02 * N(), 0.02 * N(), magnitude(s) + 0.02 * N()));
        }

        private double N() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        public void Rest(double seconds) => Emit(seconds, _ => 1.0);

        public void Walk(double seconds) => Emit(seconds, s => 1 + 0.35 * Math.Sin(2 * Math.PI * 1.9 * s));

        public void Run(double seconds) => Emit(seconds, s => 1 + 1.1 * Math.Sin(2 * Math.PI * 2.8 * s));

        public void SitDownHard() { Emit(0.3, s => 1 - 0.3 * Math.Sin(Math.PI * s / 0.3)); Emit(0.1, _ => 2.0); Rest(3); }

        public void Jump() { Emit(0.2, _ => 1.6); Emit(0.35, _ => 0.05); Emit(0.08, _ => 3.2); Walk(6); }

        public void Stumble() { Emit(0.06, _ => 0.2); Emit(0.1, _ => 2.6); Walk(5); }

        public void Fall(double freeFall, double impact) { Emit(freeFall, _ => 0.1); Emit(0.06, _ => impact); Emit(0.3, s => 1 + 0.8 * Math.Exp(-s * 10)); Rest(8); }
    }

    private static List<FallEvent> Detect(Body body)
    {
        var d = new FallDetector(new FallDetectorOptions());
        return body.Samples.Select(s => d.Add(T0.AddSeconds(s.T), s.X, s.Y, s.Z)).OfType<FallEvent>().ToList();
    }

    [Fact]
    public void Every_simulated_fall_is_detected_once_with_its_impact()
    {
        var random = new Random(4);
        var body = new Body(random);
        var impacts = new List<(double At, double G)>();
        for (int i = 0; i < 30; i++)
        {
            body.Walk(random.Next(5, 30));
            double freeFall = 0.15 + random.NextDouble() * 0.35, impact = 2.6 + random.NextDouble() * 3;
            impacts.Add((body.Samples.Count / Hz + freeFall, impact)); // the impact follows the free fall
            body.Fall(freeFall, impact);
        }
        var falls = Detect(body);
        Assert.Equal(30, falls.Count);
        foreach (var (f, (t, g)) in falls.Zip(impacts))
        {
            Assert.InRange((f.Impact - T0).TotalSeconds, t - 0.05, t + 0.05);
            // The reported peak is the body's impact (up to the 0.02 g per-axis noise over a few samples), not merely
            // something above the detector's own ImpactG threshold.
            Assert.InRange(f.PeakG, g - 0.1, g + 0.1);
        }
    }

    [Fact]
    public void A_simulated_day_of_normal_activity_raises_no_false_alarm()
    {
        var random = new Random(8);
        var body = new Body(random);
        while (body.Samples.Count < 24 * 3600 * Hz)
        {
            switch (random.Next(6))
            {
                case 0: body.Rest(random.Next(60, 1800)); break;
                case 1: body.Walk(random.Next(10, 600)); break;
                case 2: body.Run(random.Next(10, 300)); break;
                case 3: body.SitDownHard(); break;
                case 4: body.Jump(); break;
                default: body.Stumble(); break;
            }
        }
        Assert.Empty(Detect(body));
    }
}
