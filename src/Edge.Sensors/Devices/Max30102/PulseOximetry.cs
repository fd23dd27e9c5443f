namespace Edge.Sensors.Devices.Max30102;

/// <summary>
/// Heart rate and SpO2 from a window of PPG samples. Each channel is split into DC (its mean) and AC (the signal
/// minus a one-second moving average). Heart rate comes from the interval between upward zero crossings of the IR
/// AC signal (with a 0.3 s refractory period, i.e. at most 200 bpm). SpO2 uses the ratio of ratios
/// R = (AC_rms/DC)_red / (AC_rms/DC)_IR and the linear calibration SpO2 = 110 − 25·R (Maxim application note 6845).
/// </summary>
public static class PulseOximetry
{
    /// <summary>Returns false when the window is too short or holds no pulse (finger off the sensor).</summary>
    public static bool TryCompute(ReadOnlySpan<PpgSample> window, int sampleRate, out double heartRateBpm, out double spo2Percent)
    {
        heartRateBpm = spo2Percent = 0;
        int n = window.Length;
        if (n < sampleRate * 3) return false;
        var ir = new double[n];
        var red = new double[n];
        for (int i = 0; i < n; i++) (ir[i], red[i]) = (window[i].Infrared, window[i].Red);
        double irDc = ir.Average(), redDc = red.Average();
        if (irDc < 10_000) return false; // no finger: too little reflected light
        var irAc = Detrend(ir, sampleRate);
        var redAc = Detrend(red, sampleRate);
        int half = sampleRate / 2;
        double irRms = Rms(irAc.AsSpan(half, n - 2 * half)), redRms = Rms(redAc.AsSpan(half, n - 2 * half));
        if (irRms / irDc < 0.0005) return false; // no pulsatile component

        var crossings = new List<double>();
        int refractory = (int)(0.3 * sampleRate);
        for (int i = half + 1; i < n - half; i++)
        {
            if (irAc[i - 1] < 0 && irAc[i] >= 0 && (crossings.Count == 0 || i - crossings[^1] >= refractory))
                crossings.Add(i - 1 + (-irAc[i - 1] / (irAc[i] - irAc[i - 1]))); // interpolate the crossing
        }
        if (crossings.Count < 3) return false;
        heartRateBpm = 60.0 * sampleRate * (crossings.Count - 1) / (crossings[^1] - crossings[0]);
        double r = redRms / redDc / (irRms / irDc);
        spo2Percent = Math.Clamp(110 - 25 * r, 0, 100);
        return true;
    }

    private static double[] Detrend(double[] x, int window)
    {
        var result = new double[x.Length];
        double sum = 0;
        int half = window / 2;
        for (int i = 0; i < Math.Min(window, x.Length); i++) sum += x[i];
        for (int i = 0; i < x.Length; i++)
        {
            int lo = Math.Clamp(i - half, 0, x.Length - window), hi = lo + window;
            if (i > 0)
            {
                int prevLo = Math.Clamp(i - 1 - half, 0, x.Length - window);
                if (lo != prevLo) sum += x[hi - 1] - x[prevLo];
            }
            result[i] = x[i] - sum / window;
        }
        return result;
    }

    private static double Rms(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (var v in x) s += v * v;
        return Math.Sqrt(s / x.Length);
    }
}
