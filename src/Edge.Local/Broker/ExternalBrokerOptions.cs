namespace Edge.Local.Broker;

/// <summary>"Broker:External": the broker to serve the topics on when Mode is Client.</summary>
public sealed class ExternalBrokerOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }
}
