using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Edge.Log.Configuration;

/// <summary>Registers the log with the host: <c>services.AddEdgeLog(configuration)</c>.</summary>
public static class EdgeLogServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the "Log" section (<see cref="LogSectionOptions"/>, every failure by key, at start) and
    /// registers the process's single <see cref="EdgeLog"/>, opened with the configured topics on first use and closed
    /// with the host; on stop, after every producer, the journal says how many records were buffered and they are
    /// flushed (<see cref="LogFlushOnStop"/>).
    /// </summary>
    public static IServiceCollection AddEdgeLog(this IServiceCollection services, IConfiguration configuration)
    {
        // Not strict about unknown keys: the section has always accepted them (a key of a newer version is not fatal).
        services.AddOptions<LogSectionOptions>().BindSection(configuration, LogSectionOptions.Section, static (c, o, b) => c.Bind(o, b), errorOnUnknown: false);
        services.AddSingleton<IValidateOptions<LogSectionOptions>, LogSectionValidator>();
        services.AddSingleton(Open);
        // Before the producers' hosted services (every library registers after the log): stops after them.
        services.AddHostedService<LogFlushOnStop>();
        return services;
    }

    private static EdgeLog Open(IServiceProvider services)
    {
        var settings = services.GetRequiredService<IOptions<LogSectionOptions>>().Value;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var log = EdgeLog.Open(settings.ToLogOptions(), loggers);
        try
        {
            foreach (var topic in settings.ToTopicConfigs()) log.CreateTopic(topic);
        }
        catch
        {
            log.Dispose();
            throw;
        }
        loggers.CreateLogger("Edge.Log").LogInformation("log open at {Directory} with topics {Topics}",
            settings.ResolveDirectory(), string.Join(", ", settings.Topics.Keys));
        return log;
    }
}
