using Edge.Gateway.Services;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;

namespace Edge.Gateway.Startup;

/// <summary>How the gateway runs as an installed service (deploy/systemd/edge-gateway.service).</summary>
public static class DeploymentRegistration
{
    /// <summary>
    /// The machine's configuration file and systemd integration (READY/STOPPING, watchdog, journald log format). Call
    /// right after creating the builder; the start-up checks run from Program.cs (<see cref="HostStartup"/>).
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
}
