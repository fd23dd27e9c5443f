namespace Edge.Gateway.Configuration;

/// <summary>The "Gateway" configuration section, checked by <see cref="GatewaySettingsValidator"/>.</summary>
public sealed class GatewaySettings
{
    public const string Section = "Gateway";

    /// <summary>Names this gateway in logs and MQTT topics: 1-64 characters of A-Z a-z 0-9 . _ -.</summary>
    public string Id { get; set; } = "edge-dev";

    /// <summary>How often the gateway logs its progress line: 1 s to 1 h.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(5);
}
