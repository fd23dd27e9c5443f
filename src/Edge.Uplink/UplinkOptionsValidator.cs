using Edge.Log.Configuration;
using Microsoft.Extensions.Options;

namespace Edge.Uplink;

/// <summary>Validates the "Uplink" section at start, every failure by key; forwarded topics must be topics of the log ("Log:Topics").</summary>
public sealed class UplinkOptionsValidator(IOptions<LogSectionOptions> log) : IValidateOptions<UplinkOptions>
{
    public ValidateOptionsResult Validate(string? name, UplinkOptions options)
    {
        var errors = options.Validate().ToList();
        if (CrossSection.ValidOrNull(log) is { } l)
        {
            foreach (string t in options.Topics.Where(t => !l.Topics.ContainsKey(t)))
                errors.Add($"Uplink:Topics: '{t}' is not a topic of the log (configured: {string.Join(", ", l.Topics.Keys)})");
        }
        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
