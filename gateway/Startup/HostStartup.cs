using Edge.Log.Configuration;
using Edge.Sensors.Configuration;
using Edge.Sensors.Hardware;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Startup;

/// <summary>
/// What runs between <c>Build()</c> and <c>StartAsync()</c>, in this order and explicitly: the configuration, then the
/// machine. Nothing has opened the log or touched a bus yet.
/// </summary>
public static class HostStartup
{
    /// <summary>
    /// Validates every options section registered with ValidateOnStart now, and throws <see cref="ConfigurationException"/>
    /// with the failures of all of them (the host's own start would report one section, behind a stack trace).
    /// </summary>
    public static IHost ValidateConfiguration(this IHost host)
    {
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (e is OptionsValidationException or AggregateException)
        {
            throw ConfigurationException.From(e);
        }
        return host;
    }

    /// <summary>Runs <see cref="StartupChecks"/> (directory, disk, devices, broker ports); throws <see cref="StartupCheckException"/> listing every failure.</summary>
    public static IHost RunStartupChecks(this IHost host)
    {
        var services = host.Services;
        new StartupChecks(services.GetRequiredService<IOptions<LogSectionOptions>>().Value, services.GetRequiredService<IOptions<HardwareOptions>>().Value,
            services.GetRequiredService<ConfiguredSensors>().Specs, services.GetRequiredService<IOptions<Edge.Local.Broker.BrokerOptions>>().Value,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Edge.Gateway.Startup")).Run();
        return host;
    }
}
