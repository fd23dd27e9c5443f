using Edge.Uplink.Tests.TestKit;

namespace Edge.Uplink.Tests;

/// <summary>
/// TLS to a real Mosquitto with a test CA: the broker has a plain listener for the test's subscriber and a TLS
/// listener for the uplink, so what the uplink delivers over TLS is read back independently.
/// </summary>
public class TlsTests
{
    [Fact]
    public async Task The_uplink_delivers_over_TLS_verifying_the_broker_against_the_configured_CA()
    {
        using var dir = new TempDir();
        var pki = TestCertificates.Create(Path.Combine(dir.Path, "pki"));
        int tlsPort = FreePort.Get();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"), [.. TlsListener(tlsPort, pki)]);
        await DeliversAsync(dir.Path, broker, tlsPort, o => o.Tls = new UplinkTlsOptions { Enabled = true, CaFile = pki.CaFile });
    }

    [Fact]
    public async Task The_uplink_delivers_over_mutual_TLS_with_its_client_certificate_as_identity()
    {
        using var dir = new TempDir();
        var pki = TestCertificates.Create(Path.Combine(dir.Path, "pki"));
        int tlsPort = FreePort.Get();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"), [.. TlsListener(tlsPort, pki), "require_certificate true", "use_identity_as_username true"]);
        await DeliversAsync(dir.Path, broker, tlsPort, o => o.Tls = new UplinkTlsOptions
        {
            Enabled = true, CaFile = pki.CaFile, ClientCertificateFile = pki.ClientCertFile, ClientKeyFile = pki.ClientKeyFile,
        });
        // The broker saw the certificate: with use_identity_as_username the CN is the user it logs for the client.
        Assert.Contains($"u'{TestCertificates.ClientName}'", broker.Output);
    }

    [Fact]
    public async Task A_broker_certificate_from_another_CA_is_refused_with_a_message_naming_the_CA_and_retried_without_sending()
    {
        using var dir = new TempDir();
        var pki = TestCertificates.Create(Path.Combine(dir.Path, "pki"));
        var stranger = TestCertificates.Create(Path.Combine(dir.Path, "other-pki"), "Some Other CA");
        int tlsPort = FreePort.Get();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"), [.. TlsListener(tlsPort, pki)]);
        using var sink = new LogSink();
        await using var rig = new Rig(dir.Path, Rig.Options_(tlsPort, o => o.Tls = new UplinkTlsOptions { Enabled = true, CaFile = stranger.CaFile }), loggers: sink);
        await rig.AppendAsync("traffic", "mag-1", 50);
        rig.Start();
        var third = await sink.WaitFor(e => e.Message.Contains("(attempt 3)", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "for the third attempt");
        Assert.Contains("TLS handshake failed: the broker's certificate 'CN=localhost' does not chain to the CA in Uplink:Tls:CaFile", third.Message);
        Assert.Equal(0, rig.Uplink.Counters.Sent);
        Assert.Null(rig.Log.Group(Uplink.GroupId).CommittedOffset("traffic", rig.Stored()[0].Partition));
        Assert.NotEqual(Connection.UplinkState.Connected, rig.Uplink.Status().State);
        Assert.Contains("does not chain", rig.Uplink.Status().LastError);
    }

    private static IEnumerable<string> TlsListener(int port, TestCertificates pki) =>
        [$"listener {port} 127.0.0.1", $"cafile {pki.CaFile}", $"certfile {pki.ServerCertFile}", $"keyfile {pki.ServerKeyFile}", "tls_version tlsv1.2"];

    private static async Task DeliversAsync(string dir, Mosquitto broker, int tlsPort, Action<UplinkOptions> tls)
    {
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        using var sink = new LogSink();
        await using var rig = new Rig(dir, Rig.Options_(tlsPort, tls), loggers: sink);
        await rig.AppendAsync("traffic", "mag-1", 300);
        await rig.AppendAsync("health", "spo2-1", 100);
        rig.Start();
        var stored = rig.Stored();
        await cloud.WaitFor(m => Delivery.AllArrived(stored, m), TimeSpan.FromSeconds(60), "every reading over TLS");
        Assert.Equal(400, Delivery.AssertComplete(stored, cloud.Messages).Unique);
        Assert.Contains(sink.Entries, e => e.Message.StartsWith($"uplink connected to mqtts://127.0.0.1:{tlsPort}", StringComparison.Ordinal));
    }
}
