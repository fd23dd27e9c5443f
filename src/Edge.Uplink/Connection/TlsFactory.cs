using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace Edge.Uplink.Connection;

/// <summary>
/// TLS for the uplink from PEM files: the broker is verified against the configured CA only (a private CA, as
/// Mosquitto and EMQX deployments use) or the system store, always including the host name; an optional client
/// certificate and key give mutual TLS (AWS IoT Core's device certificates). Nothing is ever accepted unverified.
/// </summary>
internal static class TlsFactory
{
    public static MqttClientTlsOptions Build(UplinkOptions options)
    {
        var tls = options.Tls;
        var builder = new MqttClientTlsOptionsBuilder().UseTls().WithTargetHost(string.IsNullOrEmpty(tls.ServerName) ? options.Host : tls.ServerName);
        if (!string.IsNullOrEmpty(tls.ClientCertificateFile))
        {
            // Re-import so the key is usable by SslStream on every platform (PEM keys load as ephemeral keys).
            using var pem = X509Certificate2.CreateFromPemFile(tls.ClientCertificateFile, tls.ClientKeyFile);
            builder.WithClientCertificates([X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)]);
        }
        if (!string.IsNullOrEmpty(tls.CaFile))
        {
            var ca = new X509Certificate2Collection();
            ca.ImportFromPemFile(tls.CaFile);
            builder.WithCertificateValidationHandler(e => Validate(e.Certificate, e.SslPolicyErrors, ca));
        }
        return builder.Build();
    }

    private static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection ca)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // private CAs rarely publish CRLs; an edge device is often offline
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
