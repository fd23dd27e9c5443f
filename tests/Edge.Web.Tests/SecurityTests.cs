using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Edge.Local.Broker;
using Edge.Web.Tests.TestKit;
using MQTTnet;
using MQTTnet.Protocol;

namespace Edge.Web.Tests;

/// <summary>
/// The web server uses the broker's accounts and TLS. Tests may only use loopback addresses, so "beyond loopback" is
/// reached the way the broker's own tests reach it: Broker:LoopbackRole=Sensor makes a loopback client without an
/// account worth no more than an anonymous network client (no reading), so every rule for strangers applies.
/// </summary>
public sealed class SecurityTests
{
    private static readonly string Viewer = PasswordHash.Create("viewer-pw");
    private static readonly string Node = PasswordHash.Create("node-pw");

    private static string[] Accounts(params string[] more) =>
    [
        "--Broker:LoopbackRole=Sensor",
        "--Broker:Users:viewer:Role=Reader", $"--Broker:Users:viewer:PasswordHash={Viewer}",
        "--Broker:Users:node:Role=Sensor", $"--Broker:Users:node:PasswordHash={Node}",
        .. more,
    ];

    [Fact]
    public async Task Without_a_reader_account_the_page_and_metrics_are_refused_but_health_is_not()
    {
        using var gateway = new WebGateway(Accounts());
        await gateway.WaitUntilServing();
        using var http = new HttpClient { BaseAddress = gateway.Address };

        foreach (string path in new[] { "/", "/app.js", "/metrics" })
        {
            var anonymous = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(http, path, "viewer", "wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await Get(http, path, "node", "node-pw")).StatusCode); // a sensor account may not read
            Assert.Equal(HttpStatusCode.OK, (await Get(http, path, "viewer", "viewer-pw")).StatusCode);
        }
        Assert.Contains("edge_sensor_readings_total", await (await Get(http, "/metrics", "viewer", "viewer-pw")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task The_WebSocket_endpoint_enforces_the_same_accounts_and_roles_as_TCP()
    {
        using var gateway = new WebGateway(Accounts());
        await gateway.WaitUntilServing();
        string ws = $"ws://127.0.0.1:{gateway.WebPort}/mqtt";
        string status = $"edge/{gateway.GatewayId}/status", ingest = $"edge/{gateway.GatewayId}/ingest/node-9";

        using (var wrong = new MqttClientFactory().CreateMqttClient())
        {
            var result = await wrong.ConnectAsync(Options(ws, "viewer", "wrong"));
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, result.ResultCode);
        }

        using (var anonymous = await Connect(ws, null, null)) // loopback without an account: Broker:LoopbackRole (sensor)
            Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, (await anonymous.SubscribeAsync(status)).Items.Single().ResultCode);

        using (var node = await Connect(ws, "node", "node-pw"))
        {
            Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, (await node.SubscribeAsync(status)).Items.Single().ResultCode);
            string reading = $$"""{"sensor":"node-9","kind":"environment","ts":"{{DateTime.UtcNow:O}}","seq":0,"quality":"ok","values":[{"name":"temperature","value":21.5,"unit":"Cel"}]}""";
            var stored = await node.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(ingest).WithPayload(reading).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.True(stored.IsSuccess, stored.ReasonString);
        }

        using var viewer = await Connect(ws, "viewer", "viewer-pw");
        var got = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        viewer.ApplicationMessageReceivedAsync += e => { got.TrySetResult(e.ApplicationMessage.Topic); return Task.CompletedTask; };
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, (await viewer.SubscribeAsync(status, MqttQualityOfServiceLevel.AtLeastOnce)).Items.Single().ResultCode);
        Assert.Equal(status, await got.Task.WaitAsync(TimeSpan.FromSeconds(30))); // the retained status
        var refused = await viewer.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(ingest).WithPayload("{}").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
    }

    [Fact]
    public async Task With_the_brokers_TLS_the_web_server_is_HTTPS_with_its_certificate_and_accounts()
    {
        using var dir = new TempDir();
        var pki = TestCertificates.Create(dir["pki"]);
        using var brokerCert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(pki.ServerCertFile));
        string thumbprint = brokerCert.Thumbprint;
        using var gateway = new WebGateway(Accounts("--Broker:Tls:Enabled=true", $"--Broker:Tls:Port={FreePort.Get()}",
            $"--Broker:Tls:CertificateFile={pki.ServerCertFile}", $"--Broker:Tls:KeyFile={pki.ServerKeyFile}"));
        await gateway.WaitUntilServing();
        string? presented = null;
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => (presented = c?.Thumbprint) == thumbprint };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{gateway.WebPort}/") };

        Assert.Equal(HttpStatusCode.Unauthorized, (await https.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(https, "/metrics", "viewer", "viewer-pw")).StatusCode);
        Assert.Equal(thumbprint, presented);
        using var plain = new HttpClient { BaseAddress = gateway.Address };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync("/metrics")); // no plain HTTP beside it
    }

    [Fact]
    public async Task Beyond_loopback_without_accounts_and_TLS_the_gateway_refuses_to_start_naming_the_keys()
    {
        // 192.0.2.1 (TEST-NET-1, RFC 5737) is never bound: validation stops the start before anything listens.
        using var gateway = new WebGateway("--Web:ListenAddress=192.0.2.1");
        Assert.Equal(2, await gateway.Process.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("Web:ListenAddress: 192.0.2.1 is beyond loopback but Broker:Users is empty", gateway.Process.Output, StringComparison.Ordinal);
        Assert.Contains("Web:ListenAddress: 192.0.2.1 is beyond loopback but Broker:Tls:Enabled is false", gateway.Process.Output, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Get(HttpClient http, string path, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http.SendAsync(request);
    }

    private static MqttClientOptions Options(string uri, string? user, string? password)
    {
        var options = new MqttClientOptionsBuilder().WithWebSocketServer(o => o.WithUri(uri)).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        return (user is null ? options : options.WithCredentials(user, password)).Build();
    }

    private static async Task<IMqttClient> Connect(string uri, string? user, string? password)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(uri, user, password));
        if (result.ResultCode == MqttClientConnectResultCode.Success) return client;
        client.Dispose();
        throw new InvalidOperationException($"connect as {user ?? "anonymous"} over {uri}: {result.ResultCode} {result.ReasonString}");
    }
}
