using System.Text.Json;
using System.Text.Json.Serialization;
using Edge.Sensors.Configuration;

namespace Edge.FirmwareSim.Cli;

/// <summary>
/// The bench firmware-sim runs: the gateway's default sensors — a roadside lane with every traffic sensor and a
/// patient's bed with every health sensor — read from the "Sensors" section of gateway/appsettings.json, which this
/// project embeds at build time, so the bench is the gateway's list rather than a copy of it that can drift.
/// </summary>
public static class Bench
{
    /// <summary>Logical name of the embedded gateway/appsettings.json (Edge.FirmwareSim.Cli.csproj).</summary>
    private const string Resource = "gateway.appsettings.json";

    // The same leniency as the configuration JSON provider (comments, trailing commas, case-insensitive keys), but
    // a misspelt key is an error rather than silently ignored. Populate keeps SensorDefinition's case-insensitive
    // Pins and Calibration dictionaries.
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Dictionary<string, SensorDefinition> Default()
    {
        using var stream = typeof(Bench).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"firmware-sim was built without its embedded {Resource}");
        return Read(stream, "gateway/appsettings.json");
    }

    /// <summary>Reads the "Sensors" section of a gateway configuration file; <paramref name="source"/> names it in errors.</summary>
    public static Dictionary<string, SensorDefinition> Read(Stream json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var section = document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, "Sensors", StringComparison.OrdinalIgnoreCase))
                : default;
            if (section.Value.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source} has no \"Sensors\" object");
            var sensors = section.Value.Deserialize<Dictionary<string, SensorDefinition>>(Options) ?? [];
            return new Dictionary<string, SensorDefinition>(sensors, StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: Sensors{e.Path?.TrimStart('$')}: {e.Message}", e);
        }
    }
}
