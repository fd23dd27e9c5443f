using Microsoft.Extensions.Options;

namespace Edge.Gateway.Configuration;

/// <summary>Adapts an options class's own Validate() (a list of messages naming keys) to the options pipeline.</summary>
public sealed class DelegateValidator<T>(Func<T, IReadOnlyList<string>> validate) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        validate(options) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}
