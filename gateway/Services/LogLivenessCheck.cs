using Edge.Log;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Edge.Gateway.Services;

/// <summary>
/// Liveness (<c>/healthz</c>) and part of readiness: the log makes progress, judged by the systemd watchdog's own
/// <see cref="LivenessProbe"/> with the watchdog's period (10 s when no watchdog applies), so a fleet manager's probe
/// and systemd never disagree about whether the gateway should be restarted.
/// </summary>
public sealed class LogLivenessCheck(EdgeLog log, GatewayCounters counters) : IHealthCheck
{
    private readonly LivenessProbe _probe = new(log, counters);
    private readonly TimeSpan _period = SystemdWatchdog.FromEnvironment() ?? TimeSpan.FromSeconds(10);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_probe.Check(_period) is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy("the log's writers make progress"));
}
