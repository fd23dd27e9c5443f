using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Configuration;

/// <summary>Validates the "Gateway" section at start, every failure by key.</summary>
public sealed partial class GatewaySettingsValidator : IValidateOptions<GatewaySettings>
{
    public ValidateOptionsResult Validate(string? name, GatewaySettings options)
    {
        var failures = new List<string>();
        if (options.Id is null || !IdPattern().IsMatch(options.Id)) failures.Add("Gateway:Id must be 1-64 characters of A-Z a-z 0-9 . _ -");
        if (options.StatusInterval < TimeSpan.FromSeconds(1) || options.StatusInterval > TimeSpan.FromHours(1)) failures.Add("Gateway:StatusInterval must be between 1 s and 1 h");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();
}
