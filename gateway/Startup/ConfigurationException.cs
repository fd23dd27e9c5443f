using Microsoft.Extensions.Options;

namespace Edge.Gateway.Startup;

/// <summary>
/// The configuration is invalid: every failure of every section, each naming its key. Exit code 2, on which the unit
/// does not restart (RestartPreventExitStatus=2): the same file would fail the same way.
/// </summary>
public sealed class ConfigurationException(IReadOnlyList<string> failures) : StartupException("invalid configuration", failures)
{
    public const int Code = 2;

    public override int ExitCode => Code;

    /// <summary>The failures of one or several options validations (<see cref="IStartupValidator"/> aggregates one per section).</summary>
    public static ConfigurationException From(Exception e) => new(Flatten(e).Distinct(StringComparer.Ordinal).ToList());

    private static IEnumerable<string> Flatten(Exception e) => e switch
    {
        OptionsValidationException v => v.Failures,
        AggregateException a => a.InnerExceptions.SelectMany(Flatten),
        _ => [e.Message],
    };
}
