using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Edge.Log.Configuration;

/// <summary>
/// For a validator that checks its section against another one (a sensor's topic against "Log:Topics"): the other
/// section's options when they are valid, else null — that section reports its own failures, and the check against
/// it is left out rather than hiding this section's failures behind the other's.
/// </summary>
public static class CrossSection
{
    public static T? ValidOrNull<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(IOptions<T> options)
        where T : class
    {
        try
        {
            return options.Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}
