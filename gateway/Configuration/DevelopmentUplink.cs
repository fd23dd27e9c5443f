using Edge.Local.Broker;
using Edge.Uplink;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Configuration;

/// <summary>
/// In the Development environment (what <c>dotnet run</c> uses) with no upstream configured, the uplink targets the
/// gateway's own embedded broker under an <c>uplink/</c> prefix, so a newcomer sees the whole pipeline — sensors, log,
/// at-least-once forwarding — with <c>mosquitto_sub -t 'uplink/#'</c>. In any other environment a missing upstream
/// stays buffer-only and says so loudly: a silent local "delivery" that commits offsets would lose data in production.
/// </summary>
public sealed class DevelopmentUplink(IHostEnvironment environment, IOptions<BrokerOptions> broker) : IPostConfigureOptions<UplinkOptions>
{
    public const string Prefix = "uplink/";

    public void PostConfigure(string? name, UplinkOptions options)
    {
        var b = broker.Value;
        if (!environment.IsDevelopment() || !string.IsNullOrEmpty(options.Host) || b.Mode != BrokerMode.Embedded || b.Port == 0) return;
        options.Host = b.LocalAddress;
        options.Port = b.Port;
        options.Tls.Enabled = false;
        if (!options.TopicTemplate.StartsWith(Prefix, StringComparison.Ordinal)) options.TopicTemplate = Prefix + options.TopicTemplate;
    }
}
