using Edge.Uplink;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Configuration;

/// <summary>Validates the "Uplink" section at start; also checks forwarded topics exist in "Log:Topics".</summary>
public sealed class UplinkOptionsValidator(IOptions<LogSettings> log) : IValidateOptions<UplinkOptions>
{
    public ValidateOptionsResult Validate(string? name, UplinkOptions options)
    {
        var errors = options.Validate().ToList();
        foreach (string t in options.Topics.Where(t => !log.Value.Topics.ContainsKey(t)))
            errors.Add($"Uplink:Topics: '{t}' is not a topic of the log (configured: {string.Join(", ", log.Value.Topics.Keys)})");
        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
