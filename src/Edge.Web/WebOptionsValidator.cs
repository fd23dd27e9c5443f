using System.Net;
using Edge.Local.Broker;
using Microsoft.Extensions.Options;

namespace Edge.Web;

/// <summary>
/// Checks "Web" and "Metrics" at start with messages that name the key. Beyond loopback the dashboard must not be the
/// weak door of the broker it serves: it needs the broker's accounts (Broker:Users) and its TLS certificate
/// (Broker:Tls), since HTTP Basic credentials and MQTT passwords would otherwise cross the network in clear.
/// </summary>
public sealed class WebOptionsValidator(IOptions<BrokerOptions> broker, IOptions<MetricsOptions> metrics) : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var errors = new List<string>();
        if (!IPAddress.TryParse(options.ListenAddress, out _)) errors.Add($"Web:ListenAddress: '{options.ListenAddress}' is not an IP address");
        if (options.Port is < 0 or > 65535) errors.Add($"Web:Port: {options.Port} is outside 0..65535 (0 turns the web server off)");
        if (options.Port > 0 && options.ListensBeyondLoopback)
        {
            var b = broker.Value;
            if (b.Mode != BrokerMode.Embedded)
                errors.Add($"Web:ListenAddress: {options.ListenAddress} is beyond loopback, which needs the embedded broker's accounts, but Broker:Mode is {b.Mode}");
            if (b.Users.Count == 0)
                errors.Add($"Web:ListenAddress: {options.ListenAddress} is beyond loopback but Broker:Users is empty: the dashboard and /metrics need accounts (role reader or admin)");
            if (!b.Tls.Enabled)
                errors.Add($"Web:ListenAddress: {options.ListenAddress} is beyond loopback but Broker:Tls:Enabled is false: the dashboard serves HTTPS with the broker's certificate so passwords never cross the network in clear");
        }
        var otlp = metrics.Value.Otlp;
        if (otlp.Endpoint.Length > 0 && !(Uri.TryCreate(otlp.Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            errors.Add($"Metrics:Otlp:Endpoint: '{otlp.Endpoint}' is not an http(s) URL such as http://collector:4318/v1/metrics");
        if (otlp.Interval < TimeSpan.FromSeconds(1)) errors.Add($"Metrics:Otlp:Interval: {otlp.Interval} is shorter than 1 s");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
