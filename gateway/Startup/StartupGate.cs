namespace Edge.Gateway.Startup;

/// <summary>The first hosted service: building it runs <see cref="StartupChecks"/> (see <see cref="DeploymentRegistration"/>); it does nothing itself.</summary>
public sealed class StartupGate : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
