using Microsoft.Extensions.Options;

namespace Edge.Streams.Hosting;

/// <summary>Fails the start with every error found in "Rules", each naming its key.</summary>
internal sealed class RulesSettingsValidator : IValidateOptions<RulesSettings>
{
    public ValidateOptionsResult Validate(string? name, RulesSettings options) =>
        options.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Errors);
}
