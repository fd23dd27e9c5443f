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
    /// <summary>
    /// <paramref name="rejected"/> receives why a broker certificate was refused: SslStream only reports "rejected by
    /// the validation callback", which does not tell an operator whether the CA, the name or the dates are wrong.
    /// </summary>
    public static MqttClientTlsOptions Build(UplinkOptions options, Action<string> rejected)
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
            builder.WithCertificateValidationHandler(e =>
            {
                string? why = Validate(e.Certificate, e.SslPolicyErrors, ca);
                if (why is not null) rejected($"the broker's certificate {why}");
                return why is null;
            });
        }
        return builder.Build();
    }

    // Null when valid, else what is wrong, in words that point at the option to check.
    private static string? Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection ca)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return "was not sent";
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return "does not name the host (check Uplink:Host or Uplink:Tls:ServerName)";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // private CAs rarely publish CRLs; an edge device is often offline
        using var leaf = new X509Certificate2(certificate);
        if (chain.Build(leaf)) return null;
        var status = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct();
        return $"'{leaf.Subject}' does not chain to the CA in Uplink:Tls:CaFile ({string.Join(", ", status)})";
    }
}
