using Edge.Gateway.Configuration;
using Edge.Gateway.Services;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Startup;

/// <summary>How the gateway runs as an installed service (deploy/systemd/edge-gateway.service).</summary>
public static class DeploymentRegistration
{
    /// <summary>
    /// The machine's configuration file, systemd integration (READY/STOPPING, watchdog, journald log format) and the
    /// start-up checks. Call right after creating the builder.
    /// </summary>
    public static HostApplicationBuilder AddEdgeDeployment(this HostApplicationBuilder builder)
    {
        AddMachineConfiguration(builder.Configuration);
        builder.Services.AddSystemd();
        // AddSystemd only switches on when the parent process is systemd. sd_notify(3) needs nothing but NOTIFY_SOCKET,
        // and following it lets other supervisors (and the deploy tests) speak the protocol to the gateway too.
        if (!SystemdHelpers.IsSystemdService() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Systemd);
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }
        builder.Services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>(); // outside systemd: IsEnabled is false, nothing is sent
        builder.Services.AddHostedService<SystemdWatchdog>();
        // The host builds its hosted services in registration order before starting any; the checks go first so they
        // run before the log is opened (GatewayLogFactory, needed by the pipeline) and before any bus is touched.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StartupGate>(RunStartupChecks));
        return builder;
    }

    /// <summary>
    /// $CONFIGURATION_DIRECTORY/appsettings.json (systemd's ConfigurationDirectory=, /etc/edge-gateway) layered right
    /// after the shipped appsettings*.json and before environment variables and the command line: the machine's file
    /// overrides the defaults, an operator's EDGE_* or --key still overrides the file. Optional: absent means defaults.
    /// </summary>
    public static void AddMachineConfiguration(IConfigurationBuilder configuration)
    {
        string? dirs = Environment.GetEnvironmentVariable("CONFIGURATION_DIRECTORY");
        if (string.IsNullOrEmpty(dirs)) return;
        var source = new JsonConfigurationSource { Path = Path.Combine(Path.GetFullPath(dirs.Split(':')[0]), "appsettings.json"), Optional = true };
        source.ResolveFileProvider();
        int index = 0;
        for (int i = 0; i < configuration.Sources.Count; i++)
            if (configuration.Sources[i] is JsonConfigurationSource { Path: { } p } && Path.GetFileName(p).StartsWith("appsettings", StringComparison.Ordinal))
                index = i + 1;
        configuration.Sources.Insert(index, source);
    }

    private static StartupGate RunStartupChecks(IServiceProvider services)
    {
        // Reading SensorSettings validates the configuration first, so a configuration error is still reported as one.
        var sensors = services.GetRequiredService<IOptions<SensorSettings>>().Value.Specs;
        new StartupChecks(services.GetRequiredService<IOptions<LogSettings>>().Value, services.GetRequiredService<IOptions<HardwareSettings>>().Value,
            sensors, services.GetRequiredService<ILoggerFactory>().CreateLogger("Edge.Gateway.Startup")).Run();
        return new StartupGate();
    }
}
