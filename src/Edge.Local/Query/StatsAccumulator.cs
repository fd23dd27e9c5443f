using System.Text.Json;
using Edge.Readings;

namespace Edge.Local.Query;

/// <summary>Count, min, max and mean per value name per time window; memory is windows × value names, never readings.</summary>
public sealed class StatsAccumulator(long from, long windowMs, int windows)
{
    // The last millisecond DateTimeOffset can show (9999-12-31T23:59:59.999Z): the end of a window reaching past it.
    private static readonly long MaxMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private readonly Dictionary<string, Agg>?[] _windows = new Dictionary<string, Agg>?[windows];

    public void Add(Reading r)
    {
        long i = (r.Timestamp.ToUnixTimeMilliseconds() - from) / windowMs;
        if (i < 0 || i >= _windows.Length) return;
        var d = _windows[i] ??= new Dictionary<string, Agg>(StringComparer.Ordinal);
        foreach (var v in r.Values)
        {
            if (!d.TryGetValue(v.Name, out var a)) d[v.Name] = a = new Agg(v.Unit);
            a.Add(v.Value);
        }
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartArray("windows");
        for (int i = 0; i < _windows.Length; i++)
        {
            if (_windows[i] is not { } d) continue;
            w.WriteStartObject();
            w.WriteString("start", DateTimeOffset.FromUnixTimeMilliseconds(from + i * windowMs));
            w.WriteString("end", DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(from + (i + 1) * windowMs, MaxMs)));
            w.WriteStartObject("values");
            foreach (var (name, a) in d.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(name);
                w.WriteNumber("count", a.Count);
                w.WriteNumber("min", a.Min);
                w.WriteNumber("max", a.Max);
                w.WriteNumber("mean", a.Sum / a.Count);
                w.WriteString("unit", a.Unit);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private sealed class Agg(string unit)
    {
        public string Unit => unit;

        public long Count { get; private set; }

        public double Min { get; private set; } = double.MaxValue;

        public double Max { get; private set; } = double.MinValue;

        public double Sum { get; private set; }

        public void Add(double v)
        {
            Count++;
            Sum += v;
            Min = Math.Min(Min, v);
            Max = Math.Max(Max, v);
        }
    }
}
