using System.Net;
using System.Security.Cryptography.X509Certificates;
using Edge.Local.Broker;
using Edge.Local.Broker.Transport;
using Edge.Web.Health;
using Edge.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Edge.Web.Hosting;

/// <summary>
/// The gateway's web server: Kestrel on Web:ListenAddress:Web:Port serving the dashboard, <c>/mqtt</c> (MQTT over
/// WebSocket into the embedded broker), <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>.
/// <para>It is an application of its own inside the gateway's host (WebApplication.CreateEmptyBuilder: Kestrel, no
/// MVC, no routing tables, no configuration of its own), handed what it serves from the gateway's services, so the
/// gateway stays a worker host and the web side costs what it uses. A port that is taken is logged as an error and
/// the gateway goes on without its web server: the readings must keep being stored whatever a dashboard does.</para>
/// </summary>
public sealed class DashboardServer(IServiceProvider gateway, IOptions<WebOptions> web, IOptions<BrokerOptions> broker, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger("Edge.Web");
    private WebApplication? _app;

    /// <summary>The address the server listens on once started (null when off or when it could not listen).</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = web.Value;
        if (options.Port == 0)
        {
            _logger.LogInformation("web server off (Web:Port 0): no dashboard, /metrics or health endpoints");
            return;
        }
        // The broker's TLS is the web server's: with Broker:Tls:Enabled the page, /metrics and /mqtt are HTTPS/WSS only
        // (required beyond loopback, WebOptionsValidator), with the same certificate and key.
        var tls = broker.Value.Tls.Enabled ? LoadCertificate(broker.Value.Tls) : null;
        var app = Build(options, tls);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // Kestrel reports a taken port as IOException (AddressInUseException) with the address in its message.
            _logger.LogError("Web:Port: cannot listen on {Address}:{Port} ({Error}); the gateway runs on without its dashboard, /metrics and health endpoints: set Web:Port to a free port (0 turns the web server off)",
                options.ListenAddress, options.Port, e.Message);
            await app.DisposeAsync().ConfigureAwait(false);
            return;
        }
        _app = app;
        Address = new Uri($"{(tls is null ? "http" : "https")}://{(options.LocalAddress.Contains(':', StringComparison.Ordinal) ? $"[{options.LocalAddress}]" : options.LocalAddress)}:{options.Port}/");
        _logger.LogInformation("dashboard: open {Address} (metrics {Address}metrics, MQTT over WebSocket {Ws}mqtt)", Address, Address, Address.ToString().Replace("http", "ws", StringComparison.Ordinal));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync().ConfigureAwait(false);
    }

    private WebApplication Build(WebOptions options, X509Certificate2? tls)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "edge-gateway-web" });
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddOptions();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Parse(options.ListenAddress), options.Port, l =>
            {
                if (tls is not null) l.UseHttps(tls);
            });
        });
        var app = builder.Build();
        var assets = gateway.GetRequiredService<EmbeddedAssets>();
        var access = gateway.GetRequiredService<WebAccess>();
        var checks = gateway.GetRequiredService<HealthCheckService>();
        var sockets = gateway.GetService<WebSocketServerAdapter>();
        // Health first and without an account: probes from a fleet manager reveal no readings.
        app.Use(async (context, next) =>
        {
            string path = context.Request.Path.Value ?? "/";
            if (path is "/healthz" or "/readyz")
            {
                await HealthEndpoints.WriteAsync(context, checks, liveOnly: path == "/healthz").ConfigureAwait(false);
                return;
            }
            if (path == "/mqtt")
            {
                await next(context).ConfigureAwait(false); // the WebSocket branch below; its MQTT CONNECT is what logs in
                return;
            }
            if (await access.RefusalAsync(context).ConfigureAwait(false) is { } refusal)
            {
                context.Response.StatusCode = refusal.Status;
                if (refusal.Status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Basic realm=\"edge-gateway\", charset=\"UTF-8\"";
                await context.Response.WriteAsync(refusal.Reason + "\n", context.RequestAborted).ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(gateway.GetRequiredService<MeterProvider>(), context => context.Request.Path == "/metrics", null, null, null);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Run(async context =>
        {
            string path = context.Request.Path.Value ?? "/";
            if (path == "/mqtt")
            {
                await MqttWebSocket.AcceptAsync(context, sockets).ConfigureAwait(false);
                return;
            }
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                if (await assets.TryServeAsync(context, path).ConfigureAwait(false)) return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        return app;
    }

    private static X509Certificate2 LoadCertificate(BrokerTlsOptions tls)
    {
        using var pem = X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile);
        // SslStream on Linux needs the key in a PKCS#12-backed certificate, not an ephemeral PEM one (as the broker does).
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
