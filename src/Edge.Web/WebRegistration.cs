using Edge.Local.Broker;
using Edge.Local.Broker.Transport;
using Edge.Web.Hosting;
using Edge.Web.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Edge.Web;

/// <summary>Composes the web side: "Web" and "Metrics" options, the OpenTelemetry meter provider, the MQTT WebSocket adapter and the server.</summary>
public static class WebRegistration
{
    /// <summary>
    /// Every meter whose name starts with "Edge." is exported (Edge.Log, Edge.Local, Edge.Uplink, Edge.Sensors and any
    /// a later library adds): on <c>/metrics</c> as Prometheus text, and to Metrics:Otlp:Endpoint when set.
    /// </summary>
    public const string MeterPattern = "Edge.*";

    /// <summary>
    /// Registers the web server. Needs <see cref="LocalApi"/> and <see cref="BrokerOptions"/> (the broker's accounts and
    /// certificate are the web server's) and the host's health checks, which the caller adds with
    /// <c>services.AddHealthChecks().AddCheck(..., tags: [HealthEndpoints.Live])</c>. Hand the registered
    /// <see cref="WebSocketServerAdapter"/> to the <see cref="EmbeddedBroker"/> so <c>/mqtt</c> reaches it.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">Its configuration ("Web", "Metrics").</param>
    /// <param name="gatewayId">
    /// The metrics' service.instance.id. A plain value, not a service: the meter provider is built while the host's
    /// options are validated at start, and a resource that resolved the local API there would open the log before the
    /// configuration had been checked, and turn the report of every mistake into the first one.
    /// </param>
    public static IServiceCollection AddEdgeWeb(this IServiceCollection services, IConfiguration configuration, string gatewayId)
    {
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.Section), o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section), o => o.ErrorOnUnknownConfiguration = true);
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        services.AddHealthChecks();
        services.AddSingleton<EmbeddedAssets>();
        services.AddSingleton(sp => new WebAccess(sp.GetRequiredService<IOptions<BrokerOptions>>().Value, sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Edge.Web")));
        services.AddSingleton(sp => new WebSocketServerAdapter(sp.GetRequiredService<IOptions<BrokerOptions>>().Value, sp.GetRequiredService<LocalApi>().BrokerCounters,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Edge.Local.Broker")));

        var metrics = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("edge-gateway").AddDetector(new GatewayResource(gatewayId)))
            .WithMetrics(m =>
            {
                m.AddMeter(MeterPattern).AddPrometheusExporter();
                // Only when configured: an exporter without an endpoint would push to localhost:4318 every minute.
                if (!string.IsNullOrEmpty(configuration[$"{MetricsOptions.Section}:Otlp:Endpoint"]))
                {
                    m.AddOtlpExporter((exporter, reader) =>
                    {
                        var otlp = configuration.GetSection($"{MetricsOptions.Section}:Otlp").Get<MetricsOptions.OtlpOptions>() ?? new();
                        // A bad URL is reported by WebOptionsValidator at start, naming Metrics:Otlp:Endpoint.
                        if (Uri.TryCreate(otlp.Endpoint, UriKind.Absolute, out var endpoint)) exporter.Endpoint = endpoint;
                        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Math.Clamp(otlp.Interval.TotalMilliseconds, 1000, int.MaxValue);
                        // Cumulative, as Prometheus has it: a collector that restarts loses nothing.
                        reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
                    });
                }
            });
        _ = metrics;
        services.AddHostedService<DashboardServer>();
        return services;
    }

    /// <summary>service.instance.id = Gateway:Id, so a fleet's series stay apart in a collector.</summary>
    private sealed class GatewayResource(string gatewayId) : IResourceDetector
    {
        public Resource Detect() => new([new("service.instance.id", gatewayId)]);
    }
}
