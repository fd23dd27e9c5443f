using System.Globalization;

namespace Edge.FirmwareSim.Cli;

/// <summary>Minimal "--name value" parsing with errors that name the option.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.OrdinalIgnoreCase);

    public CliArgs(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (string a in args)
        {
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null) _options[pending] = "true";
                pending = a[2..];
            }
            else if (pending is not null)
            {
                _options[pending] = a;
                pending = null;
            }
            else
            {
                Positional.Add(a);
            }
        }
        if (pending is not null) _options[pending] = "true";
    }

    public List<string> Positional { get; } = [];

    public string Text(string name, string fallback) => _options.GetValueOrDefault(name, fallback);

    public bool Flag(string name) => _options.TryGetValue(name, out string? v) && v != "false";

    public int Int(string name, int fallback, int min, int max)
    {
        if (!_options.TryGetValue(name, out string? text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new ArgumentException($"--{name} must be a whole number between {min} and {max}, not '{text}'");
        return v;
    }

    public double Double(string name, double fallback, double min, double max)
    {
        if (!_options.TryGetValue(name, out string? text)) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v < min || v > max)
            throw new ArgumentException($"--{name} must be a number between {min} and {max}, not '{text}'");
        return v;
    }

    public TimeSpan? Duration(string name)
    {
        if (!_options.TryGetValue(name, out string? text)) return null;
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var t) && t > TimeSpan.Zero) return t;
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n > 0)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
            }
        }
        throw new ArgumentException($"--{name} must be a duration such as 90s, 10m, 2h or 00:10:00, not '{text}'");
    }
}
