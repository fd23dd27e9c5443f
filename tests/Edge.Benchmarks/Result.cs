using System.Text.Json;

namespace Edge.Benchmarks;

/// <summary>One run as one JSON line, in the schema of ../shared/anchors (bench/Common.cs Result).</summary>
internal sealed class Result
{
    public string group { get; set; } = "project";
    public string name { get; set; } = "";
    public int run { get; set; }
    public string unit { get; set; } = "records";
    public long ops { get; set; }
    public long records { get; set; }
    public double seconds { get; set; }
    public double ops_per_s { get; set; }
    public double rec_per_s { get; set; }
    public long payload_bytes { get; set; }
    public double mb_per_s { get; set; }
    public long disk_bytes { get; set; }
    public double disk_mb_per_s { get; set; }
    public long commits { get; set; }
    public double commit_p50_us { get; set; } = double.NaN;
    public double commit_p99_us { get; set; } = double.NaN;
    public double commit_max_us { get; set; } = double.NaN;
    public double peak_rss_mb { get; set; } = double.NaN;
    /// <summary>Latency percentiles of one operation (query-latency, e2e-latency), in microseconds.</summary>
    public double p50_us { get; set; } = double.NaN;
    public double p99_us { get; set; } = double.NaN;
    public double cpu_cores { get; set; } = double.NaN;
    public double broker_rss_mb { get; set; } = double.NaN;
    public double broker_peak_rss_mb { get; set; } = double.NaN;
    public double broker_cpu_cores { get; set; } = double.NaN;
    public string durability { get; set; } = "";
    public string note { get; set; } = "";

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public void Write(string? path)
    {
        string line = JsonSerializer.Serialize(this, Json);
        Console.WriteLine(line);
        if (path is not null) File.AppendAllText(path, line + "\n");
        Console.Error.WriteLine($"{name} run {run}: {rec_per_s:N0} rec/s, {mb_per_s:F1} MB/s, {seconds:F3} s, commit p50/p99 {commit_p50_us:F0}/{commit_p99_us:F0} us, rss {peak_rss_mb:F0} MiB");
    }

    public static double PeakRssMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    public static double Percentile(List<long> ticks, double p)
    {
        if (ticks.Count == 0) return double.NaN;
        ticks.Sort();
        int idx = (int)Math.Clamp(Math.Ceiling(p / 100 * ticks.Count) - 1, 0, ticks.Count - 1);
        return ticks[idx] * 1e6 / System.Diagnostics.Stopwatch.Frequency;
    }
}
