using Edge.Gateway.Configuration;
using Edge.Local.Status;
using Edge.Log.Configuration;
using Edge.Uplink;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>The gateway's own part: its sections, the wiring between libraries, and its hosted services.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates "Gateway" and "Simulation", points the Development uplink at the local broker, and adds the
    /// view the local API reads and the hosted services. Call after the libraries' registrations: hosted services start
    /// in registration order and stop in reverse — the local broker (AddEdgeLocalApi, the Development uplink's target)
    /// starts first and stops last, then the uplink (it commits and disconnects after sampling stopped), the status
    /// line, the log's health watch, and the sensors, which stop first.
    /// </summary>
    public static IServiceCollection AddEdgeGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewaySettings>().BindSection(configuration, GatewaySettings.Section, static (c, o, b) => c.Bind(o, b), errorOnUnknown: false);
        services.AddSingleton<IValidateOptions<GatewaySettings>, GatewaySettingsValidator>();
        services.AddOptions<SimulationSettings>().BindSection(configuration, SimulationSettings.Section, static (c, o, b) => c.Bind(o, b), errorOnUnknown: false);
        services.AddSingleton<IValidateOptions<SimulationSettings>, SimulationSettingsValidator>();
        services.AddSingleton<IPostConfigureOptions<UplinkOptions>, DevelopmentUplink>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayCounters>();
        services.AddSingleton<SensorRegistry>();
        services.AddSingleton(SensorHardwareFactory.Create);
        services.AddSingleton(sp => new ReadingTopics(ReadingTopicNames.From(sp.GetRequiredService<IOptions<LogSectionOptions>>().Value,
            sp.GetRequiredService<IOptions<UplinkOptions>>().Value)));
        services.AddSingleton<StreamsRulesView>();
        services.AddSingleton<IGatewayView, GatewayView>();
        services.AddSingleton<UplinkService>();
        services.AddHostedService(sp => sp.GetRequiredService<UplinkService>());
        services.AddHostedService<StatusReporter>();
        services.AddHostedService<LogHealthService>();
        services.AddHostedService<SensorPipelineService>();
        return services;
    }
}
