using System.Globalization;

namespace Edge.Log.Configuration;

/// <summary>A configuration value that is either "auto" or a byte count (e.g. <c>Log:DiskBudgetBytes</c>).</summary>
public static class ByteSize
{
    public const string Auto = "auto";

    /// <summary>
    /// Parses <paramref name="value"/>: "auto" (any case) or empty gives <paramref name="auto"/>; a whole number ≥ 0 is
    /// itself. Anything else is an error naming <paramref name="key"/>.
    /// </summary>
    public static bool TryParse(string? value, string key, long auto, out long bytes, out string? error)
    {
        error = null;
        bytes = auto;
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Equals(Auto, StringComparison.OrdinalIgnoreCase)) return true;
        if (long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out bytes)) return true;
        bytes = auto;
        error = $"{key}: '{value}' is neither \"auto\" nor a whole number of bytes";
        return false;
    }
}
