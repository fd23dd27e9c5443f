using Edge.Gateway.Cli;
using Edge.Gateway.Services;
using Edge.Gateway.Startup;
using Edge.Local.Hosting;
using Edge.Log;
using Edge.Log.Configuration;
using Edge.Sensors.Configuration;
using Edge.Streams.Hosting;
using Edge.Uplink;

// Composition only: configuration (appsettings.json < environment EDGE_* < command line), each library's own
// registration (its section bound and validated), the gateway's wiring, then the explicit start: configuration,
// machine checks, services. Defaults ship in appsettings.json beside the binary.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
builder.AddEdgeDeployment(); // /etc/edge-gateway/appsettings.json, systemd notify + watchdog
builder.Configuration.AddEnvironmentVariables("EDGE_");
// The command line (System.CommandLine): `query`, `hash-password`, --help and bad arguments end here; a run goes on
// with every argument a configuration override, handed to the configuration as given.
if (await GatewayCli.InvokeAsync(args, builder.Configuration) is { } exit) return exit;
builder.Configuration.AddCommandLine(args);

builder.Services.AddEdgeLog(builder.Configuration);      // "Log": the durable log and its topics; first, so its flush on stop runs after every producer has stopped
builder.Services.AddEdgeSensors(builder.Configuration);  // "Sensors", "Hardware"
builder.Services.AddEdgeUplink(builder.Configuration);   // "Uplink"
builder.Services.AddEdgeLocalApi(builder.Configuration); // "Broker", "Query", "Ingest": the local MQTT API
builder.Services.AddEdgeStreams(builder.Configuration);  // "Streams", "Rules": before the uplink, which forwards the alert topic it creates
builder.Services.AddEdgeGateway(builder.Configuration);  // "Gateway", "Simulation", the hosted services
builder.Services.AddGatewayObservability(builder.Configuration); // "Web", "Metrics": dashboard, MQTT over WebSocket, /metrics, /healthz, /readyz

try
{
    // RunAsync without the dispose it ends with: the hosted services are inspected after the stop.
    using var host = builder.Build();
    host.ValidateConfiguration(); // every section, every failure by key: exit 2
    host.RunStartupChecks();      // data directory, disk, devices: exit 3
    await host.StartAsync();
    await host.WaitForShutdownAsync();
    // A hosted service that died stopped the host (BackgroundServiceExceptionBehavior.StopHost): exit non-zero so
    // systemd's Restart=on-failure brings the gateway back.
    return host.Services.GetServices<IHostedService>().Any(s => s is BackgroundService { ExecuteTask.IsFaulted: true }) ? 1 : 0;
}
catch (Exception e) when (e is StartupException or Microsoft.Extensions.Options.OptionsValidationException)
{
    // A failure to start that an operator fixes: its message (each line names the key or the thing), no stack trace.
    var failure = e as StartupException ?? ConfigurationException.From(e);
    Console.Error.WriteLine($"edge-gateway: {failure.Message}");
    return failure.ExitCode;
}
catch (LogException e)
{
    Console.Error.WriteLine($"edge-gateway: {e.Message}");
    return 1;
}
