using Edge.FirmwareSim.Scenarios;

namespace Edge.FirmwareSim.Devices.Ads1115;

/// <summary>
/// The analog output of a PulseSensor.com "Amped" module (green-LED reflective PPG with an MCP6001 amplifier and
/// high-pass, biased at about half its 3.3 V supply) with a fingertip on it: a baseline near 1.6 V, each beat a
/// sharp systolic upstroke and a smaller dicrotic wave, slow respiratory baseline wander and a few mV of noise,
/// clipped to the rails. The beat phase integrates the subject's heart rate, so the model must be evaluated at
/// non-decreasing times (as an ADC's conversions are). Deterministic for a seed. Thread-safe.
/// </summary>
public sealed class PulseSensorModule(Func<DateTimeOffset, double> heartRateBpm, int seed = 1)
{
    private readonly object _sync = new();
    private DateTimeOffset? _last;
    private DateTimeOffset _start;
    private double _phase;

    public double BaselineVolts { get; init; } = 1.6;

    /// <summary>Systolic peak height above the baseline's trough-to-peak scale (V); fingertips give roughly 0.3-1 V.</summary>
    public double AmplitudeVolts { get; init; } = 0.8;

    public double NoiseVolts { get; init; } = 0.004;

    /// <summary>No finger: the amplifier sits at its bias with noise only.</summary>
    public bool FingerOff { get; set; }

    public double Volts(DateTimeOffset t)
    {
        lock (_sync)
        {
            _last ??= _start = t;
            double dt = Math.Max(0, (t - _last.Value).TotalSeconds);
            _phase += dt * heartRateBpm(t) / 60;
            _last = t;
            double s = (t - _start).TotalSeconds;
            double noise = NoiseVolts * Noise.Gaussian(seed, t.UtcTicks);
            double wander = 0.05 * Math.Sin(2 * Math.PI * 0.25 * s);
            double pulse = FingerOff ? 0 : AmplitudeVolts * Wave(_phase - Math.Floor(_phase)) + wander;
            return Math.Clamp(BaselineVolts + pulse + noise, 0, 3.3);
        }
    }

    // One beat over phase 0-1: systolic peak at 0.15, dicrotic wave at 0.42, offset so the beat's mean is near zero.
    private static double Wave(double u) =>
        Math.Exp(-Math.Pow((u - 0.15) / 0.05, 2)) + 0.35 * Math.Exp(-Math.Pow((u - 0.42) / 0.07, 2)) - 0.13;
}
