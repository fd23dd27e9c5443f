namespace Edge.Uplink;

/// <summary>TLS to the upstream broker ("Uplink:Tls").</summary>
public sealed class UplinkTlsOptions
{
    public bool Enabled { get; set; }

    /// <summary>PEM file of the CA that signed the broker's certificate; empty trusts the system store.</summary>
    public string CaFile { get; set; } = "";

    /// <summary>PEM client certificate for mutual TLS (AWS IoT Core, a broker with require_certificate).</summary>
    public string ClientCertificateFile { get; set; } = "";

    /// <summary>PEM private key of the client certificate.</summary>
    public string ClientKeyFile { get; set; } = "";

    /// <summary>Name the broker's certificate must carry; the host name when empty.</summary>
    public string ServerName { get; set; } = "";
}
