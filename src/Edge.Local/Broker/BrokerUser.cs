namespace Edge.Local.Broker;

/// <summary>A broker account: "Broker:Users:&lt;name&gt;". The password is stored only as a hash (<see cref="PasswordHash"/>).</summary>
public sealed class BrokerUser
{
    /// <summary>From <c>edge-gateway hash-password</c>: "pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;".</summary>
    public string PasswordHash { get; set; } = "";

    public BrokerRole Role { get; set; } = BrokerRole.Reader;

    public List<string> Sensors { get; set; } = [];
}
