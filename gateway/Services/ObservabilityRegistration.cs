using Edge.Gateway.Configuration;
using Edge.Web;
using Edge.Web.Health;

namespace Edge.Gateway.Services;

/// <summary>What the gateway gives its web server (Edge.Web) to report: health checks and the libraries' meters.</summary>
public static class ObservabilityRegistration
{
    public static IServiceCollection AddGatewayObservability(this IServiceCollection services, IConfiguration configuration)
    {
        // Liveness is what the systemd watchdog pings on; readiness adds "sensors started" and "broker listening".
        services.AddHealthChecks()
            .AddCheck<LogLivenessCheck>("log", tags: [HealthEndpoints.Live])
            .AddCheck<SensorsStartedCheck>("sensors")
            .AddCheck<BrokerListeningCheck>("broker");
        services.AddSingleton<LogLivenessCheck>();
        services.AddHostedService<GatewayMeters>();
        // The id as configured (a label: validated with the rest of "Gateway" at start, not here).
        services.AddEdgeWeb(configuration, configuration[$"{GatewaySettings.Section}:Id"] ?? new GatewaySettings().Id);
        return services;
    }
}
