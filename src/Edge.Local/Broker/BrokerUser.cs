namespace Edge.Local.Broker;

/// <summary>A broker account: "Broker:Users:&lt;name&gt;". The password is stored only as a hash (<see cref="PasswordHash"/>).</summary>
public sealed class BrokerUser
{
    /// <summary>From <c>edge-gateway hash-password</c>: "pbkdf2-sha256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;".</summary>
    public string PasswordHash { get; set; } = "";

    public BrokerRole Role { get; set; } = BrokerRole.Reader;

    /// <summary>
    /// For a <c>sensor</c> account: the sensor ids it may ingest for, exact ("gate-3") or by prefix ("node7-*");
    /// empty allows any id.
    /// </summary>
    public List<string> Sensors { get; set; } = [];
}
