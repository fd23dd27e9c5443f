using Edge.Gateway.Configuration;
using Edge.Local.Broker;
using Edge.Local.Ingest;
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
        services.AddSingleton<IValidateOptions<IngestOptions>>(sp => new DelegateValidator<IngestOptions>(o =>
            o.Validate(ReadingTopicNames.From(sp.GetRequiredService<IOptions<LogSettings>>().Value, sp.GetRequiredService<IOptions<Edge.Uplink.UplinkOptions>>().Value))));
        services.AddOptions<QueryOptions>().Bind(configuration.GetSection(QueryOptions.Section), o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section), o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddSingleton<IGatewayView, GatewayView>();
        services.AddSingleton(sp => LocalApi.Create(sp.GetRequiredService<Edge.Log.EdgeLog>(), sp.GetRequiredService<IGatewayView>(),
            sp.GetRequiredService<IOptions<QueryOptions>>().Value, sp.GetRequiredService<IOptions<IngestOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        // The sensor pipeline offers stored readings to the live feed.
        services.AddSingleton(sp => sp.GetRequiredService<LocalApi>().Live);
        services.AddHostedService<LocalBrokerService>();
    }
}
