using Edge.Gateway.Configuration;
using Edge.Log;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Services;

/// <summary>Opens the log with the configured topics (the single EdgeLog of this process).</summary>
public static class GatewayLogFactory
{
    public static EdgeLog Open(IServiceProvider services)
    {
        var settings = services.GetRequiredService<IOptions<LogSettings>>().Value;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var log = EdgeLog.Open(settings.ToLogOptions(), loggers);
        try
        {
            foreach (var (name, topic) in settings.Topics) log.CreateTopic(topic.ToConfig(name));
        }
        catch
        {
            log.Dispose();
            throw;
        }
        loggers.CreateLogger("Edge.Gateway").LogInformation("log open at {Directory} with topics {Topics}",
            settings.ResolveDirectory(), string.Join(", ", settings.Topics.Keys));
        return log;
    }
}
