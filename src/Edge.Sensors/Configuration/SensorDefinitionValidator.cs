using System.Globalization;
using System.Text.RegularExpressions;
using Edge.Sensors.Sampling;

namespace Edge.Sensors.Configuration;

/// <summary>
/// Checks the "Sensors" section at start and resolves each enabled entry to a <see cref="SensorSpec"/>. Every
/// problem is reported (not just the first) as "Sensors:&lt;id&gt;:&lt;Key&gt; ...", so a user fixing a config
/// file sees all of them at once: unknown types list the known ones, bad addresses and pins name the sensor and key,
/// two sensors on one address or pin name both.
/// </summary>
public static partial class SensorDefinitionValidator
{
    /// <summary>Raspberry Pi 40-pin header GPIO lines in BCM numbering (gpiochip0 lines 0-27).</summary>
    public const int MaxGpioLine = 27;

    public static IReadOnlyList<SensorSpec> Validate(IReadOnlyDictionary<string, SensorDefinition> sensors, IReadOnlyCollection<string>? topics, out List<string> errors)
    {
        errors = [];
        var specs = new List<SensorSpec>();
        var addresses = new Dictionary<(int, int), string>();
        var pins = new Dictionary<int, string>();
        foreach (var (id, d) in sensors.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!d.Enabled) continue;
            int before = errors.Count;
            string key = $"Sensors:{id}";
            if (!IdPattern().IsMatch(id))
                errors.Add($"{key}: a sensor id must be 1-64 characters of A-Z a-z 0-9 . _ - (it appears in MQTT topics)");
            if (string.IsNullOrWhiteSpace(d.Type))
            {
                errors.Add($"{key}:Type is required; known types: {string.Join(", ", SensorCatalog.Types)}");
                continue;
            }
            if (!SensorCatalog.TryGet(d.Type, out var type))
            {
                errors.Add($"{key}:Type '{d.Type}' is not a known sensor type; known types: {string.Join(", ", SensorCatalog.Types)}");
                continue;
            }
            int bus = d.Bus ?? 1, address = 0;
            if (type.Bus == SensorBus.I2c)
            {
                if (bus is < 0 or > 255) errors.Add($"{key}:Bus {bus} is not an I2C bus number (0-255; the Pi's header bus is 1)");
                address = ResolveAddress(key, d.Address, type, errors);
                if (d.Pins.Count > 0) errors.Add($"{key}:Pins: a {type.Name} is an I2C device and takes no GPIO pins");
                if (errors.Count == before && !addresses.TryAdd((bus, address), id))
                    errors.Add($"{key}:Address 0x{address:X2} on I2C bus {bus} is already used by sensor '{addresses[(bus, address)]}'");
            }
            else
            {
                if (d.Address is not null || d.Bus is not null) errors.Add($"{key}: a {type.Name} is wired to GPIO pins and takes no Bus or Address");
                CheckPins(key, d, type, pins, id, errors);
            }
            string topic = string.IsNullOrWhiteSpace(d.Topic) ? type.DefaultTopic : d.Topic;
            if (topics is not null && !topics.Contains(topic))
                errors.Add($"{key}:Topic '{topic}' is not a topic of the log (configured: {string.Join(", ", topics)})");
            foreach (string name in d.Calibration.Keys.Where(k => !type.Calibration.ContainsKey(k)))
                errors.Add($"{key}:Calibration:{name} is not a setting of a {type.Name}; known: {(type.Calibration.Count == 0 ? "none" : string.Join(", ", type.Calibration.Keys))}");
            foreach (var (name, value) in d.Calibration.Where(c => !double.IsFinite(c.Value)))
                errors.Add($"{key}:Calibration:{name} must be a finite number, not {value}");
            var sampling = new SamplerOptions
            {
                Interval = d.Interval ?? type.DefaultInterval,
                Overflow = d.Overflow ?? SensorOverflow.DropOldest,
                QueueCapacity = d.QueueCapacity ?? 1024,
            };
            try
            {
                sampling.Validate(id);
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message);
            }
            if (errors.Count > before) continue;
            specs.Add(new SensorSpec(id, type, bus, address, new Dictionary<string, int>(d.Pins, StringComparer.OrdinalIgnoreCase),
                topic, string.IsNullOrWhiteSpace(d.Site) ? "default" : d.Site, sampling, new Dictionary<string, double>(d.Calibration, StringComparer.OrdinalIgnoreCase)));
        }
        return specs;
    }

    private static int ResolveAddress(string key, string? text, SensorType type, List<string> errors)
    {
        string known = string.Join(", ", type.Addresses.Select(a => $"0x{a:X2}"));
        if (string.IsNullOrWhiteSpace(text)) return type.Addresses[0];
        string t = text.Trim();
        bool hex = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!int.TryParse(hex ? t[2..] : t, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int address)
            || address is < 0x08 or > 0x77)
        {
            errors.Add($"{key}:Address '{text}' is not a 7-bit I2C device address (0x08-0x77, e.g. \"0x{type.Addresses[0]:X2}\")");
            return 0;
        }
        if (!type.Addresses.Contains(address))
            errors.Add($"{key}:Address 0x{address:X2} is not an address a {type.Name} answers on ({known})");
        return address;
    }

    private static void CheckPins(string key, SensorDefinition d, SensorType type, Dictionary<int, string> used, string id, List<string> errors)
    {
        foreach (string role in type.PinRoles.Where(r => !d.Pins.ContainsKey(r)))
            errors.Add($"{key}:Pins:{role} is required for a {type.Name} (GPIO line, BCM numbering)");
        foreach (var (role, pin) in d.Pins)
        {
            if (!type.PinRoles.Contains(role, StringComparer.OrdinalIgnoreCase))
                errors.Add($"{key}:Pins:{role} is not a pin of a {type.Name}; its pins: {string.Join(", ", type.PinRoles)}");
            else if (pin is < 0 or > MaxGpioLine)
                errors.Add($"{key}:Pins:{role} {pin} is not a GPIO line on the Raspberry Pi header (0-{MaxGpioLine}, BCM numbering)");
            else if (!used.TryAdd(pin, $"{id}:{role}"))
                errors.Add($"{key}:Pins:{role} GPIO {pin} is already used by '{used[pin]}'");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();
}
