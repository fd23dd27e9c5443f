using Edge.Streams.Configuration;
using Edge.Streams.Rules;

namespace Edge.Streams.Hosting;

/// <summary>The parsed "Rules" section with the errors found in it (validated at start by <see cref="RulesSettingsValidator"/>).</summary>
public sealed class RulesSettings
{
    public const string Section = "Rules";

    public IReadOnlyList<RuleDefinition> Definitions { get; set; } = [];

    public List<string> Errors { get; } = [];

    /// <summary>Sensor id -> Sensors:&lt;id&gt;:Site, for rules keyed by site.</summary>
    public IReadOnlyDictionary<string, string> Sites { get; set; } = new Dictionary<string, string>();
}
