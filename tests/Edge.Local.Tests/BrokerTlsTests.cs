using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Edge.Local.Tests.TestKit;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Local.Tests;

public class BrokerTlsTests
{
    [Fact]
    public async Task The_TLS_listener_serves_queries_to_a_logged_in_client_that_verifies_the_broker_against_its_CA()
    {
        using var pki = new TempDir();
        var certs = TestCertificates.Create(pki.Path);
        int tlsPort = FreePort.Get();
        await using var rig = await LocalRig.StartAsync(configure: o =>
        {
            o.Tls.Enabled = true;
            o.Tls.Port = tlsPort;
            o.Tls.CertificateFile = certs.ServerCertFile;
            o.Tls.KeyFile = certs.ServerKeyFile;
        });
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(certs.CaFile));

        async Task<IMqttClient> Connect(string? user)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var tls = new MqttClientTlsOptionsBuilder().UseTls().WithTargetHost("localhost")
                .WithCertificateValidationHandler(e =>
                {
                    // Trust exactly the test CA: the chain must end at it.
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(e.Certificate));
                }).Build();
            var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", tlsPort).WithProtocolVersion(MqttProtocolVersion.V500).WithTlsOptions(tls);
            if (user is not null) options = options.WithCredentials(user, LocalRig.Password);
            var result = await client.ConnectAsync(options.Build());
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
            return client;
        }

        using var viewer = await Connect("viewer");
        var reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        viewer.ApplicationMessageReceivedAsync += e => { reply.TrySetResult(e.ApplicationMessage.ConvertPayloadToString()); return Task.CompletedTask; };
        await viewer.SubscribeAsync("tls/replies", MqttQualityOfServiceLevel.AtLeastOnce);
        await viewer.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("edge/gw1/query").WithPayload("""{"op":"sensors"}""")
            .WithResponseTopic("tls/replies").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.True(JsonNode.Parse(await reply.Task.WaitAsync(TimeSpan.FromSeconds(10)))!["ok"]!.GetValue<bool>());
    }
}
