using System.Globalization;

namespace Edge.Readings;

/// <summary>
/// The one way a person writes a duration to Edge: the query API's stats <c>window</c> (QUERY.md) and every
/// command-line option that takes one (<c>edge-gateway query --window/--timeout</c>, <c>firmware-sim --duration</c>).
/// Accepted: a number with a unit (<c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1.5h</c>, <c>1d</c>), a bare number of
/// seconds (<c>90</c>), or a clock time in .NET's TimeSpan form (<c>00:10:00</c>, <c>1.00:00:00</c>). Positive, whole
/// milliseconds (a fraction below one is dropped), at most 100,000 days. Thread-safe (pure).
/// </summary>
public static class DurationSyntax
{
    /// <summary>For error messages: "must be a duration such as {Examples}".</summary>
    public const string Examples = "30s, 5m, 1h, 1d, 500ms, 90 (seconds) or 00:10:00";

    // 100,000 days keeps every sum of a duration and a timestamp (years 0001-9999) inside a long of milliseconds.
    private const double MaxMilliseconds = 100_000 * 86_400_000.0;

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text)) return false;
        double ms;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var clock)) return false;
            ms = Math.Floor(clock.TotalMilliseconds);
        }
        else
        {
            (string number, double unit) = text switch
            {
                _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 1.0),
                _ when text.EndsWith('s') => (text[..^1], 1000.0),
                _ when text.EndsWith('m') => (text[..^1], 60_000.0),
                _ when text.EndsWith('h') => (text[..^1], 3_600_000.0),
                _ when text.EndsWith('d') => (text[..^1], 86_400_000.0),
                _ => (text, 1000.0),
            };
            // Digits and one decimal point only: no sign, exponent, spaces or thousands separators.
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n)) return false;
            ms = Math.Floor(n * unit);
        }
        if (!(ms >= 1 && ms <= MaxMilliseconds)) return false;
        duration = TimeSpan.FromMilliseconds((long)ms);
        return true;
    }
}
