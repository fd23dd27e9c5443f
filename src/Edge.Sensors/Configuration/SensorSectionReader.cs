using System.Globalization;
using Edge.Sensors.Sampling;
using Microsoft.Extensions.Configuration;

namespace Edge.Sensors.Configuration;

/// <summary>
/// Reads the "Sensors" section by hand rather than with the configuration binder, because the binder silently
/// drops a dictionary entry that fails to convert and ignores misspelt keys — a sensor would vanish without a word.
/// Every unreadable value and unknown key becomes an error naming its full key.
/// </summary>
public static class SensorSectionReader
{
    private static readonly string[] Keys = ["Type", "Enabled", "Bus", "Address", "Pins", "Interval", "Topic", "Overflow", "QueueCapacity", "Calibration", "Site"];

    public static Dictionary<string, SensorDefinition> Read(IConfigurationSection section, List<string> errors)
    {
        var result = new Dictionary<string, SensorDefinition>(StringComparer.Ordinal);
        foreach (var sensor in section.GetChildren())
        {
            var d = new SensorDefinition();
            foreach (var item in sensor.GetChildren())
            {
                string key = item.Path;
                string? v = item.Value;
                switch (Keys.FirstOrDefault(k => string.Equals(k, item.Key, StringComparison.OrdinalIgnoreCase)))
                {
                    case "Type": d.Type = v; break;
                    case "Enabled": d.Enabled = Parse(key, v, bool.TryParse, "true or false", errors, d.Enabled); break;
                    case "Bus": d.Bus = Parse<int>(key, v, Int, "a whole number", errors, 1); break;
                    case "Address": d.Address = v; break;
                    case "Interval": d.Interval = Parse<TimeSpan>(key, v, Duration, "a duration such as 00:00:00.250", errors, TimeSpan.Zero); break;
                    case "Topic": d.Topic = v; break;
                    case "Site": d.Site = v; break;
                    case "QueueCapacity": d.QueueCapacity = Parse<int>(key, v, Int, "a whole number", errors, 0); break;
                    case "Overflow":
                        d.Overflow = Parse<SensorOverflow>(key, v, (string? s, out SensorOverflow o) => Enum.TryParse(s, true, out o) && Enum.IsDefined(o),
                            $"one of {string.Join(", ", Enum.GetNames<SensorOverflow>())}", errors, SensorOverflow.DropOldest);
                        break;
                    case "Pins":
                        foreach (var pin in item.GetChildren()) d.Pins[pin.Key] = Parse<int>(pin.Path, pin.Value, Int, "a GPIO line number", errors, -1);
                        break;
                    case "Calibration":
                        foreach (var c in item.GetChildren()) d.Calibration[c.Key] = Parse<double>(c.Path, c.Value, Number, "a number", errors, double.NaN);
                        break;
                    default:
                        errors.Add($"{key} is not a sensor setting; known: {string.Join(", ", Keys)}");
                        break;
                }
            }
            result[sensor.Key] = d;
        }
        return result;
    }

    private delegate bool TryParse<T>(string? text, out T value);

    private static T Parse<T>(string key, string? text, TryParse<T> parse, string expected, List<string> errors, T fallback)
    {
        if (parse(text, out T value)) return value;
        errors.Add($"{key} must be {expected}, not '{text}'");
        return fallback;
    }

    private static bool Int(string? s, out int v) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out v);

    private static bool Number(string? s, out double v) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v);

    private static bool Duration(string? s, out TimeSpan v) => TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out v);
}
