using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Edge.Web.Health;

/// <summary>
/// <c>/healthz</c> and <c>/readyz</c> over the host's health checks (registered by the gateway): liveness runs the
/// checks tagged <see cref="Live"/> — the ones the systemd watchdog's ping also depends on — and readiness runs every
/// check. 200 with <c>{"status":"Healthy",...}</c> when all pass, 503 otherwise (the Kubernetes and Nomad probe
/// convention), with each check's description so an operator sees which part is not ready.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The tag of checks that decide liveness (a failing one means: restart me).</summary>
    public const string Live = "live";

    public static async Task WriteAsync(HttpContext context, HealthCheckService checks, bool liveOnly)
    {
        var report = await checks.CheckHealthAsync(liveOnly ? r => r.Tags.Contains(Live) : null, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        using var w = new Utf8JsonWriter(context.Response.BodyWriter);
        w.WriteStartObject();
        w.WriteString("status", report.Status.ToString());
        w.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            w.WriteStartObject(name);
            w.WriteString("status", entry.Status.ToString());
            if (entry.Description is { } d) w.WriteString("description", d);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
