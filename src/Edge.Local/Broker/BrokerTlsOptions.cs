namespace Edge.Local.Broker;

/// <summary>"Broker:Tls": an MQTT-over-TLS listener (port 8883 by convention) with a PEM certificate and key.</summary>
public sealed class BrokerTlsOptions
{
    public bool Enabled { get; set; }

    public int Port { get; set; } = 8883;

    public string CertificateFile { get; set; } = "";

    public string KeyFile { get; set; } = "";
}
