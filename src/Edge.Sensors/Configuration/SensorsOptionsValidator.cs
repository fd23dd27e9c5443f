using Edge.Log.Configuration;
using Microsoft.Extensions.Options;

namespace Edge.Sensors.Configuration;

/// <summary>
/// Validates the "Sensors" section against the catalog and the log's topics ("Log:Topics"), every failure by key.
/// Changes nothing: the specs are resolved by <see cref="ConfiguredSensors"/>.
/// </summary>
public sealed class SensorsOptionsValidator(IOptions<LogSectionOptions> log) : IValidateOptions<SensorsOptions>
{
    public ValidateOptionsResult Validate(string? name, SensorsOptions options)
    {
        SensorDefinitionValidator.Validate(options.Definitions, CrossSection.ValidOrNull(log)?.Topics.Keys, out var errors);
        return options.ReadErrors.Count + errors.Count > 0 ? ValidateOptionsResult.Fail(options.ReadErrors.Concat(errors)) : ValidateOptionsResult.Success;
    }
}
