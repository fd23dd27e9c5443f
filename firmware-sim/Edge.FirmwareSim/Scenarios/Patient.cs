namespace Edge.FirmwareSim.Scenarios;

/// <summary>
/// A simulated patient: heart rate, SpO2, body temperature and the acceleration at a body-worn IMU, as pure
/// functions of time (plus a seeded noise hash), so any number of sensors can look at the same person from any
/// thread and a seed always gives the same day. Physiology is coarse but plausible: heart rate relaxes towards the
/// exercise target with a 40 s time constant; walking shows as a 1.9 Hz vertical oscillation (±0.35 g); a fall is
/// 0.3 s of near-weightlessness, a 3.5 g impact and a minute lying still on the side.
/// </summary>
public sealed class Patient(int seed, HealthProfile profile, DateTimeOffset start)
{
    private const double Tau = 40;

    public HealthProfile Profile => profile;

    /// <summary>Ground truth: falls (impact times) that have happened by <paramref name="t"/>.</summary>
    public IEnumerable<DateTimeOffset> FallsUntil(DateTimeOffset t) => FallTimes(t).Where(f => f <= t);

    public double HeartRate(DateTimeOffset t)
    {
        double s = Offset(t), hr = profile.RestingHeartRate;
        foreach (var (at, duration, target) in profile.Exercise)
        {
            double a = at.TotalSeconds, e = a + duration.TotalSeconds;
            if (s < a) continue;
            double reached = (target - profile.RestingHeartRate) * (1 - Math.Exp(-(Math.Min(s, e) - a) / Tau));
            hr += s <= e ? reached : reached * Math.Exp(-(s - e) / Tau);
        }
        hr += 1.5 * Math.Sin(2 * Math.PI * s / 4.5); // respiratory sinus arrhythmia
        if (In(profile.Arrhythmia.Select(x => (x.At, x.Duration)), s))
            hr *= 1 + 0.25 * (2 * Hash(Math.Floor(s * hr / 60)) - 1); // a new interval every beat
        return hr;
    }

    public double SpO2(DateTimeOffset t)
    {
        double s = Offset(t), drop = 0;
        foreach (var (at, duration, nadir) in profile.Desaturation)
        {
            double a = at.TotalSeconds, e = a + duration.TotalSeconds, depth = profile.RestingSpO2 - nadir;
            if (s >= a && s <= e + 60) drop = Math.Max(drop, depth * Math.Min(1, Math.Min((s - a) / 60, (e + 60 - s) / 60)));
        }
        return Math.Clamp(profile.RestingSpO2 - drop + 0.3 * (Hash(Math.Floor(s)) - 0.5), 70, 100);
    }

    public double BodyTemperature(DateTimeOffset t)
    {
        double s = Offset(t), temp = profile.BodyTemperature + 0.2 * Math.Sin(2 * Math.PI * (t.UtcDateTime.TimeOfDay.TotalHours - 11) / 24);
        foreach (var (at, duration, peak) in profile.Fever)
        {
            double a = at.TotalSeconds, d = duration.TotalSeconds;
            if (s < a || s > a + d) continue;
            double u = (s - a) / d;
            temp += (peak - profile.BodyTemperature) * Math.Min(1, Math.Min(u * 4, (1 - u) * 4));
        }
        return temp + 0.03 * (Hash(Math.Floor(s * 2)) - 0.5);
    }

    /// <summary>Acceleration in g at a chest or wrist IMU (x forward, y left, z up when standing).</summary>
    public (double X, double Y, double Z) Acceleration(DateTimeOffset t)
    {
        double s = Offset(t);
        double nx = 0.02 * (Hash(s * 997) - 0.5), ny = 0.02 * (Hash(s * 1009) - 0.5), nz = 0.02 * (Hash(s * 1013) - 0.5);
        foreach (var f in FallTimes(t))
        {
            double u = (t - f).TotalSeconds; // 0 = impact
            if (u is < -0.3 or > 60) continue;
            if (u < 0) return (nx, ny, 0.1 + nz);                         // free fall
            if (u < 0.06) return (3.5 * 0.6, 0, 3.5 * 0.8);                // impact
            if (u < 0.4) return (1 + 0.8 * Math.Exp(-u * 10) + nx, ny, nz); // settling on the side
            return (1 + nx, ny, nz);                                       // lying still: gravity along x
        }
        bool walking = profile.Exercise.Any(x => s >= x.At.TotalSeconds && s <= (x.At + x.Duration).TotalSeconds);
        return walking ? (nx, ny, 1 + 0.35 * Math.Sin(2 * Math.PI * 1.9 * s) + nz) : (nx, ny, 1 + nz);
    }

    private IEnumerable<DateTimeOffset> FallTimes(DateTimeOffset until)
    {
        foreach (var f in profile.Falls) yield return start + f;
        if (profile.FallEvery is { } every && profile.Falls.Count > 0)
            for (var f = start + profile.Falls[0] + every; f <= until + TimeSpan.FromSeconds(1); f += every) yield return f;
    }

    private double Offset(DateTimeOffset t) => (t - start).TotalSeconds;

    private static bool In(IEnumerable<(TimeSpan At, TimeSpan Duration)> episodes, double s) =>
        episodes.Any(e => s >= e.At.TotalSeconds && s <= (e.At + e.Duration).TotalSeconds);

    private double Hash(double x) => Noise.Uniform(seed, BitConverter.DoubleToInt64Bits(x));
}
