using Edge.Local.Broker;
using Edge.Local.Ingest;
using Edge.Local.Query;
using Edge.Local.Status;
using Edge.Log;
using Edge.Log.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Edge.Local.Hosting;

/// <summary>Registers the local MQTT API with the host: <c>services.AddEdgeLocalApi(configuration)</c>.</summary>
public static class EdgeLocalServiceCollectionExtensions
{
    /// <summary>
    /// Binds the "Broker", "Query" and "Ingest" sections strictly and validates them at start (every failure by key),
    /// and runs the API (<see cref="LocalApi"/>) over the registered <see cref="EdgeLog"/> on the configured transport.
    /// The host provides <see cref="IGatewayView"/> (the gateway's sensors and uplink, as data) and <see cref="Status.ReadingTopics"/>.
    /// </summary>
    public static IServiceCollection AddEdgeLocalApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BrokerOptions>().BindSection(configuration, BrokerOptions.Section, static (c, o, b) => c.Bind(o, b));
        services.AddOptions<QueryOptions>().BindSection(configuration, QueryOptions.Section, static (c, o, b) => c.Bind(o, b));
        services.AddOptions<IngestOptions>().BindSection(configuration, IngestOptions.Section, static (c, o, b) => c.Bind(o, b));
        services.AddSingleton<IValidateOptions<BrokerOptions>>(new Validator<BrokerOptions>(o => o.Validate()));
        services.AddSingleton<IValidateOptions<QueryOptions>>(new Validator<QueryOptions>(o => o.Validate()));
        services.AddSingleton<IValidateOptions<IngestOptions>>(sp => new Validator<IngestOptions>(o => o.Validate(ReadingTopics(sp, o))));
        services.AddSingleton(sp => LocalApi.Create(sp.GetRequiredService<EdgeLog>(), sp.GetRequiredService<IGatewayView>(),
            sp.GetRequiredService<IOptions<QueryOptions>>().Value, sp.GetRequiredService<IOptions<IngestOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<LocalBrokerService>(); // also read by a readiness check (Listening)
        services.AddHostedService(sp => sp.GetRequiredService<LocalBrokerService>());
        return services;
    }

    // The reading topics come from the host's "Log" (and "Uplink") sections; when one of those is invalid it reports
    // itself and Ingest:Topics is checked only for internal topics, so Ingest's other failures still show.
    private static IReadOnlyCollection<string> ReadingTopics(IServiceProvider services, IngestOptions ingest)
    {
        try
        {
            return services.GetRequiredService<ReadingTopics>().Names;
        }
        catch (OptionsValidationException)
        {
            return ingest.Topics.Values.Where(t => !TopicConfig.IsInternal(t)).ToArray();
        }
    }

    private sealed class Validator<T>(Func<T, IReadOnlyList<string>> validate) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            validate(options) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
