using Edge.Log;
using Edge.Streams.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Edge.Streams.Hosting;

/// <summary>Composes the stream rules: binds and validates "Streams" and "Rules", and runs <see cref="StreamsService"/>.</summary>
public static class StreamsRegistration
{
    /// <summary>
    /// Register before the uplink: the service creates the alert topic when it starts, and the uplink forwards the
    /// topics that exist when it starts.
    /// </summary>
    public static IServiceCollection AddEdgeStreams(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamsOptions>().Bind(configuration.GetSection(StreamsOptions.Section), o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StreamsOptions>, StreamsOptionsValidator>();
        services.AddOptions<RulesSettings>().Configure(s => Read(configuration, s)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RulesSettings>, RulesSettingsValidator>();
        services.AddSingleton(sp => new StreamsService(sp.GetRequiredService<EdgeLog>(), sp.GetRequiredService<IOptions<StreamsOptions>>().Value,
            sp.GetRequiredService<IOptions<RulesSettings>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<StreamsService>());
        return services;
    }

    internal static void Read(IConfiguration configuration, RulesSettings settings)
    {
        var rules = new Dictionary<string, RuleOptions>(StringComparer.Ordinal);
        foreach (var child in configuration.GetSection(RulesSettings.Section).GetChildren())
        {
            var o = new RuleOptions();
            try
            {
                child.Bind(o, b => b.ErrorOnUnknownConfiguration = true);
                rules[child.Key] = o;
            }
            catch (InvalidOperationException e)
            {
                settings.Errors.Add($"Rules:{child.Key}: {e.Message}");
            }
        }
        settings.Definitions = RuleParser.Parse(rules, settings.Errors);
        // The sensors' sites (Sensors:<id>:Site) key rules "by site"; read here, not asked of the gateway, so the
        // library needs nothing but configuration.
        settings.Sites = configuration.GetSection("Sensors").GetChildren()
            .Where(c => !string.IsNullOrEmpty(c["Site"])).ToDictionary(c => c.Key, c => c["Site"]!, StringComparer.Ordinal);
    }
}
