using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Edge.Log.Configuration;

/// <summary>Binding of a configuration section that reports what it cannot bind with every other validation failure.</summary>
public static class OptionsBuilderExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/> and validates it at start. A value the binder cannot
    /// convert ("Failed to convert configuration value at 'Hardware:Mode' ...", which names the key) and, with
    /// <paramref name="errorOnUnknown"/>, a misspelt key become validation failures of <typeparamref name="T"/>: the
    /// binder throws them while the options are created, which would stop the validation of every other section at the
    /// first one, so a configuration with several mistakes would be fixed one restart at a time.
    /// <para>
    /// <paramref name="bind"/> is the binder call, written at each call site (<c>static (c, o, b) =&gt; c.Bind(o, b)</c>)
    /// where <typeparamref name="T"/> is a concrete type: the configuration binding source generator
    /// (<c>EnableConfigurationBindingGenerator</c>) replaces such calls with generated code, which it cannot do for a
    /// call on a type parameter. So binding needs no reflection, and the Native AOT gateway binds as the tested one.
    /// </para>
    /// </summary>
    public static OptionsBuilder<T> BindSection<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(this OptionsBuilder<T> builder, IConfiguration configuration, string section, Action<IConfiguration, T, Action<BinderOptions>> bind, bool errorOnUnknown = true)
        where T : class
    {
        var errors = new BindingErrors<T>();
        builder.Configure(options =>
        {
            errors.Clear();
            try
            {
                bind(configuration.GetSection(section), options, o => o.ErrorOnUnknownConfiguration = errorOnUnknown);
            }
            catch (InvalidOperationException e)
            {
                errors.Add(e.Message);
            }
        });
        builder.Services.AddSingleton<IValidateOptions<T>>(errors);
        return builder.ValidateOnStart();
    }
}
