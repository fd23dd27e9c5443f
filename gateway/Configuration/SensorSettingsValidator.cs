using Edge.Sensors.Configuration;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Configuration;

/// <summary>Validates the "Sensors" section against the catalog and the log's topics, and resolves the specs.</summary>
public sealed class SensorSettingsValidator(IOptions<LogSettings> log) : IValidateOptions<SensorSettings>
{
    public ValidateOptionsResult Validate(string? name, SensorSettings options)
    {
        var specs = SensorDefinitionValidator.Validate(options.Definitions, log.Value.Topics.Keys, out var errors);
        if (options.ReadErrors.Count + errors.Count > 0) return ValidateOptionsResult.Fail(options.ReadErrors.Concat(errors));
        options.Specs = specs;
        return ValidateOptionsResult.Success;
    }
}
