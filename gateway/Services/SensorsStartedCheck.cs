using Edge.Sensors.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Edge.Gateway.Services;

/// <summary>Readiness: every configured sensor has a running sampler (SensorPipelineService registers each as it starts it).</summary>
public sealed class SensorsStartedCheck(ConfiguredSensors sensors, SensorRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        int configured = sensors.Specs.Count, started = registry.Specs.Count;
        return Task.FromResult(started >= configured
            ? HealthCheckResult.Healthy($"{started} sensors sampling")
            : HealthCheckResult.Unhealthy($"{started} of {configured} configured sensors started"));
    }
}
