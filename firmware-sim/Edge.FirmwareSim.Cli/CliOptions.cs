using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Edge.Readings;

namespace Edge.FirmwareSim.Cli;

/// <summary>
/// Options with a range or a syntax of their own, whose parse errors name the option and the bad value
/// ("--speed must be a number between 0.01 and 10000, not 'fast'").
/// </summary>
public static class CliOptions
{
    public static Option<int> WholeNumber(string name, string description, int fallback, int min, int max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = r => int.TryParse(Token(r), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max
            ? v : Fail<int>(r, $"{name} must be a whole number between {min} and {max}, not '{Token(r)}'"),
    };

    public static Option<double> Number(string name, string description, double fallback, double min, double max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = r => double.TryParse(Token(r), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= min && v <= max
            ? v : Fail<double>(r, $"{name} must be a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not '{Token(r)}'"),
    };

    /// <summary>A duration in the syntax the query API's window uses too (<see cref="DurationSyntax"/>); null when not given.</summary>
    public static Option<TimeSpan?> Duration(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "duration",
        CustomParser = r => DurationSyntax.TryParse(Token(r), out var d)
            ? d : Fail<TimeSpan?>(r, $"{name} must be a duration such as {DurationSyntax.Examples}, not '{Token(r)}'"),
    };

    private static string Token(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[0].Value : "";

    private static T Fail<T>(ArgumentResult r, string message)
    {
        r.AddError(message);
        return default!;
    }
}
