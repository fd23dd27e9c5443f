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
    /// </summary>
    public static OptionsBuilder<T> BindSection<T>(this OptionsBuilder<T> builder, IConfiguration configuration, string section, bool errorOnUnknown = true)
        where T : class
    {
        var errors = new BindingErrors<T>();
        builder.Configure(options =>
        {
            errors.Clear();
            try
            {
                configuration.GetSection(section).Bind(options, o => o.ErrorOnUnknownConfiguration = errorOnUnknown);
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
