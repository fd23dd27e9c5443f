namespace Edge.Streams.Windows;

/// <summary>
/// The running aggregate of one value name in one window: count, sum, sum of squares, min, max, first and last (with
/// their event times) in O(1), and a bounded sample for the percentiles. Up to <see cref="MaxSamples"/> values are kept
/// exactly; beyond that the sample is a reservoir (Vitter's algorithm R) drawn with a hash of the count, so a replay
/// keeps the same sample and the same p95 (STREAMS.md §4).
/// </summary>
public sealed class FieldAggregate
{
    public const int MaxSamples = 4096;

    public long Count { get; set; }
    public double Sum { get; set; }
    public double SumSquares { get; set; }
    public double Min { get; set; } = double.PositiveInfinity;
    public double Max { get; set; } = double.NegativeInfinity;
    public double First { get; set; }
    public long FirstAt { get; set; }
    public double Last { get; set; }
    public long LastAt { get; set; }
    // Made on the first sampled value: only rules that read p50/p95 sample, and a window holds an aggregate per field.
    private List<double>? _samples;

    public List<double> Samples
    {
        get => _samples ??= [];
        set => _samples = value;
    }

    /// <summary>Adds a value; <paramref name="sample"/> keeps it for the percentiles (only rules that ask for p50/p95 pay for them).</summary>
    public void Add(double value, long at, bool sample = true)
    {
        if (Count == 0 || at < FirstAt)
        {
            First = value;
            FirstAt = at;
        }
        if (Count == 0 || at >= LastAt)
        {
            Last = value;
            LastAt = at;
        }
        Count++;
        Sum += value;
        SumSquares += value * value;
        if (value < Min) Min = value;
        if (value > Max) Max = value;
        if (!sample) return;
        var samples = Samples;
        if (samples.Count < MaxSamples) samples.Add(value);
        else
        {
            ulong h = (ulong)Count * 0x9E3779B97F4A7C15UL;
            long slot = (long)(h % (ulong)Count);
            if (slot < MaxSamples) samples[(int)slot] = value;
        }
    }

    /// <summary>Empties it for a window being reused (as a new one: no values, no samples).</summary>
    internal void Reset()
    {
        Count = 0;
        Sum = SumSquares = 0;
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
        First = Last = 0;
        FirstAt = LastAt = 0;
        _samples?.Clear();
    }

    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    /// <summary>Population standard deviation (the window is the whole population).</summary>
    public double StdDev => Count == 0 ? double.NaN : Math.Sqrt(Math.Max(0, SumSquares / Count - Mean * Mean));

    /// <summary>Change per hour between the window's first and last value (0 with a single value).</summary>
    public double RatePerHour => LastAt > FirstAt ? (Last - First) / ((LastAt - FirstAt) / 3_600_000.0) : 0;

    /// <summary>Nearest-rank percentile of the sample.</summary>
    public double Percentile(double p)
    {
        if (_samples is not { Count: > 0 } samples) return double.NaN;
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
