using System.Text.RegularExpressions;

namespace Edge.Web.Tests.TestKit;

/// <summary>The metric table of src/Edge.Web/METRICS.md: what a scrape is checked against.</summary>
public static partial class MetricsDoc
{
    /// <summary>Documented rows: OpenTelemetry name, Prometheus name, the "when" column.</summary>
    public static IReadOnlyList<(string Otel, string Prometheus, string When)> Rows { get; } = Read();

    private static List<(string, string, string)> Read()
    {
        var rows = new List<(string, string, string)>();
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "METRICS.md")))
        {
            var m = Row().Match(line);
            if (m.Success) rows.Add((m.Groups[1].Value, m.Groups[2].Value, line.Split('|')[6].Trim()));
        }
        return rows;
    }

    [GeneratedRegex(@"^\| `(edge\.[a-z0-9_.]+)` \| `([a-z0-9_]+)` \|")]
    private static partial Regex Row();
}
