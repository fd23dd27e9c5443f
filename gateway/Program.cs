using Edge.Gateway.Cli;
using Edge.Gateway.Configuration;
using Edge.Gateway.Services;
using Edge.Gateway.Startup;
using Edge.Uplink;
using Microsoft.Extensions.Options;

// Composition only: configuration (appsettings.json < environment EDGE_* < command line), validated options,
// the log, and the hosted services. Defaults ship in appsettings.json beside the binary.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
builder.AddEdgeDeployment(); // /etc/edge-gateway/appsettings.json, systemd notify + watchdog, start-up checks
builder.Configuration.AddEnvironmentVariables("EDGE_");
// The command line (System.CommandLine): `query`, `hash-password`, --help and bad arguments end here; a run goes on
// with every argument a configuration override, handed to the configuration as given.
if (await GatewayCli.InvokeAsync(args, builder.Configuration) is { } exit) return exit;
builder.Configuration.AddCommandLine(args);

builder.Services.AddOptions<GatewaySettings>().Bind(builder.Configuration.GetSection(GatewaySettings.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<SimulationSettings>().Bind(builder.Configuration.GetSection(SimulationSettings.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<HardwareSettings>().Bind(builder.Configuration.GetSection(HardwareSettings.Section), o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
builder.Services.AddOptions<SensorSettings>().Configure(s => s.Definitions = SensorSectionReader.Read(builder.Configuration.GetSection(SensorSettings.Section), s.ReadErrors)).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<SensorSettings>, SensorSettingsValidator>();
builder.Services.AddOptions<UplinkOptions>().Bind(builder.Configuration.GetSection(UplinkOptions.Section), o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<UplinkOptions>, UplinkOptionsValidator>();
builder.Services.AddSingleton<IPostConfigureOptions<UplinkOptions>, DevelopmentUplink>();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
builder.Services.AddOptions<LogSettings>().Bind(builder.Configuration.GetSection(LogSettings.Section)).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<LogSettings>, LogSettingsValidator>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<GatewayCounters>();
builder.Services.AddSingleton(GatewayLogFactory.Open);
builder.Services.AddSingleton<SensorRegistry>();
builder.Services.AddSingleton(SensorHardwareFactory.Create);
// Hosted services start in this order and stop in reverse: sampling stops first, then the uplink commits and
// disconnects, and the local broker (the Development uplink's target) goes last.
builder.Services.AddLocalApi(builder.Configuration);
builder.Services.AddSingleton<UplinkService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<UplinkService>());
builder.Services.AddHostedService<StatusReporter>();
builder.Services.AddHostedService<LogHealthService>();
builder.Services.AddHostedService<SensorPipelineService>();

try
{
    // RunAsync without the dispose it ends with: the hosted services are inspected after the stop.
    using var host = builder.Build();
    await host.StartAsync();
    await host.WaitForShutdownAsync();
    // A hosted service that died stopped the host (BackgroundServiceExceptionBehavior.StopHost): exit non-zero so
    // systemd's Restart=on-failure brings the gateway back.
    return host.Services.GetServices<IHostedService>().Any(s => s is BackgroundService { ExecuteTask.IsFaulted: true }) ? 1 : 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"edge-gateway: invalid configuration:\n  {string.Join("\n  ", e.Failures)}");
    return 2;
}
catch (InvalidOperationException e) when (e.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase) || e.Message.StartsWith("Hardware:", StringComparison.Ordinal) || e.Message.StartsWith("Broker:", StringComparison.Ordinal))
{
    // Binding errors name the key ("Failed to convert configuration value 'x' at 'Sensors:a:Interval' ...").
    Console.Error.WriteLine($"edge-gateway: invalid configuration:\n  {e.Message}");
    return 2;
}
catch (StartupCheckException e)
{
    Console.Error.WriteLine($"edge-gateway: start-up check failed:\n  {e.Message}");
    return StartupCheckException.ExitCode;
}
catch (Edge.Log.LogException e)
{
    Console.Error.WriteLine($"edge-gateway: {e.Message}");
    return 1;
}
