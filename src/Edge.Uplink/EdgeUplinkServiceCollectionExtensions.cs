using Edge.Log.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Edge.Uplink;

/// <summary>Registers the uplink's configuration with the host: <c>services.AddEdgeUplink(configuration)</c>.</summary>
public static class EdgeUplinkServiceCollectionExtensions
{
    /// <summary>Binds the "Uplink" section strictly (a misspelt key is an error) and validates it at start, every failure by key.</summary>
    public static IServiceCollection AddEdgeUplink(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UplinkOptions>().BindSection(configuration, UplinkOptions.Section, static (c, o, b) => c.Bind(o, b));
        services.AddSingleton<IValidateOptions<UplinkOptions>, UplinkOptionsValidator>();
        return services;
    }
}
