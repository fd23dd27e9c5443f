using Edge.Gateway.Configuration;
using Edge.Local;
using Edge.Local.Broker;
using Edge.Local.Ingest;
using Edge.Local.Live;
using Edge.Local.Query;
using Edge.Local.Status;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>Composes the local MQTT API (Edge.Local) from validated "Broker", "Query" and "Ingest" sections.</summary>
public static class LocalApiRegistration
{
    public static void AddLocalApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BrokerOptions>().Bind(configuration.GetSection(BrokerOptions.Section), o => o.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BrokerOptions>>(new DelegateValidator<BrokerOptions>(o => o.Validate()));
        services.AddSingleton<IValidateOptions<QueryOptions>>(new DelegateValidator<QueryOptions>(o => o.Validate()));
        services.AddSingleton<IValidateOptions<IngestOptions>>(new DelegateValidator<IngestOptions>(o => o.Validate()));
        services.AddOptions<QueryOptions>().Bind(configuration.GetSection(QueryOptions.Section), o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section), o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddSingleton(sp => new LocalTopics(sp.GetRequiredService<IOptions<GatewaySettings>>().Value.Id));
        services.AddSingleton<IngestCounters>();
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<IGatewayView, GatewayView>();
        services.AddSingleton<SensorDirectory>();
        services.AddSingleton<StatusWriter>();
        services.AddSingleton(sp => new QueryService(sp.GetRequiredService<Edge.Log.EdgeLog>(), sp.GetRequiredService<SensorDirectory>(),
            sp.GetRequiredService<StatusWriter>(), sp.GetRequiredService<IOptions<QueryOptions>>().Value, sp.GetRequiredService<IngestCounters>()));
        services.AddSingleton(sp => new ClientRateLimiter(sp.GetRequiredService<IOptions<QueryOptions>>().Value.QueriesPerSecond,
            sp.GetRequiredService<IOptions<QueryOptions>>().Value.Burst, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<QueryEndpoint>();
        services.AddSingleton(sp => new IngestService(sp.GetRequiredService<Edge.Log.EdgeLog>(), sp.GetRequiredService<SensorDirectory>(),
            sp.GetRequiredService<IOptions<IngestOptions>>().Value, sp.GetRequiredService<IngestCounters>(), sp.GetRequiredService<LiveFeed>()));
        services.AddSingleton<LocalApi>();
        services.AddHostedService<LocalBrokerService>();
    }
}
