using System.Net;

namespace Edge.Web;

/// <summary>
/// "Web": the gateway's own web server — the dashboard, MQTT over WebSocket (<c>/mqtt</c>), <c>/metrics</c>,
/// <c>/healthz</c> and <c>/readyz</c> — on one port. By default on loopback only, where anyone on the device may look;
/// beyond loopback it uses the broker's accounts and TLS certificate (README "See it").
/// </summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Address Kestrel listens on; 127.0.0.1 keeps the dashboard private to the device.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>TCP port of the web server; 0 turns the web server off.</summary>
    public int Port { get; set; } = 8080;

    public bool ListensBeyondLoopback => IPAddress.TryParse(ListenAddress, out var a) && !IPAddress.IsLoopback(a);

    /// <summary>Where a browser on this device reaches the server: loopback when it listens on every address.</summary>
    public string LocalAddress =>
        IPAddress.TryParse(ListenAddress, out var a) && (a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any)) ? "127.0.0.1" : ListenAddress;
}
