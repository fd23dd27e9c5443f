using Edge.Local.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Edge.Gateway.Services;

/// <summary>Readiness: the local MQTT side is up (the embedded broker listens, or the client of an existing broker runs, or it is off by configuration).</summary>
public sealed class BrokerListeningCheck(LocalBrokerService broker) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(broker.Listening is { } what ? HealthCheckResult.Healthy(what) : HealthCheckResult.Unhealthy("the local broker is not listening yet"));
}
