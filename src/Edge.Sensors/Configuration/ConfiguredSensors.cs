using Edge.Log.Configuration;
using Microsoft.Extensions.Options;

namespace Edge.Sensors.Configuration;

/// <summary>The enabled sensors of the validated "Sensors" section, resolved against the catalog.</summary>
public sealed class ConfiguredSensors(IOptions<SensorsOptions> sensors, IOptions<LogSectionOptions> log)
{
    public IReadOnlyList<SensorSpec> Specs { get; } = SensorDefinitionValidator.Validate(sensors.Value.Definitions, log.Value.Topics.Keys, out _);
}
