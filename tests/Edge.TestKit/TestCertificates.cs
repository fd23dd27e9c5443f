using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Edge.TestKit;

/// <summary>
/// A throw-away PKI for TLS tests, made with <see cref="CertificateRequest"/>: a CA, a broker certificate signed by it
/// for 127.0.0.1 and localhost, and a client certificate (CN "gw-test") for mutual TLS, written as PEM files the way
/// Mosquitto and the uplink's options take them. ECDSA P-256 keeps generation fast.
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaFile => Path.Combine(Directory, "ca.pem");

    public string ServerCertFile => Path.Combine(Directory, "server.pem");

    public string ServerKeyFile => Path.Combine(Directory, "server.key");

    public string ClientCertFile => Path.Combine(Directory, "client.pem");

    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    /// <summary>The client certificate's common name: what Mosquitto takes as user name with use_identity_as_username.</summary>
    public const string ClientName = "gw-test";

    public static TestCertificates Create(string directory, string caName = "Edge Test CA")
    {
        System.IO.Directory.CreateDirectory(directory);
        var pki = new TestCertificates(directory);
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        File.WriteAllText(pki.CaFile, ca.ExportCertificatePem());

        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        Issue(ca, "CN=localhost", san.Build(), "1.3.6.1.5.5.7.3.1", pki.ServerCertFile, pki.ServerKeyFile); // serverAuth
        Issue(ca, $"CN={ClientName}", null, "1.3.6.1.5.5.7.3.2", pki.ClientCertFile, pki.ClientKeyFile); // clientAuth
        return pki;
    }

    private static void Issue(X509Certificate2 ca, string subject, X509Extension? san, string usage, string certFile, string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (san is not null) request.CertificateExtensions.Add(san);
        var now = DateTimeOffset.UtcNow;
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F; // a positive serial number (RFC 5280 §4.1.2.2)
        using var cert = request.Create(ca, now.AddMinutes(-5), now.AddHours(12), serial);
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}
