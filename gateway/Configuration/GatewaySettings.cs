using System.ComponentModel.DataAnnotations;

namespace Edge.Gateway.Configuration;

/// <summary>The "Gateway" configuration section.</summary>
public sealed class GatewaySettings
{
    public const string Section = "Gateway";

    /// <summary>Names this gateway in logs and, later, in MQTT topics.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Gateway:Id must be 1-64 characters of A-Z a-z 0-9 . _ -")]
    public string Id { get; set; } = "edge-dev";

    /// <summary>How often the gateway logs its progress line.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Gateway:StatusInterval must be between 1 s and 1 h")]
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(5);
}
