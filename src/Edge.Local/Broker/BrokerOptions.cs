using System.Net;

namespace Edge.Local.Broker;

/// <summary>
/// "Broker": the local MQTT side. By default an embedded broker on 127.0.0.1:1883 where anonymous clients are
/// allowed (they are on the device itself). Setting <see cref="ListenAddress"/> to a non-loopback address opens it
/// to the network, and then every non-loopback client must log in as one of <see cref="Users"/>.
/// </summary>
public sealed class BrokerOptions
{
    public const string Section = "Broker";

    public BrokerMode Mode { get; set; } = BrokerMode.Embedded;

    /// <summary>Address of the plain-TCP listener; 127.0.0.1 keeps the broker private to the device.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Plain-TCP port; 0 disables the plain listener (TLS only).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Role of anonymous clients connecting from a loopback address. Others must log in.</summary>
    public BrokerRole LoopbackRole { get; set; } = BrokerRole.Admin;

    public Dictionary<string, BrokerUser> Users { get; set; } = new(StringComparer.Ordinal);

    public BrokerTlsOptions Tls { get; set; } = new();

    public ExternalBrokerOptions External { get; set; } = new();

    /// <summary>How often the retained status message is refreshed.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxPacketBytes { get; set; } = 64 * 1024;

    public int MaxConnections { get; set; } = 200;

    public int LoginFailuresBeforeBackoff { get; set; } = 5;

    public TimeSpan LoginBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxQueuedMessagesPerSession { get; set; } = 1000;

    public long MaxQueuedBytesPerSession { get; set; } = 1 << 20;

    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    public bool ListensBeyondLoopback => IPAddress.TryParse(ListenAddress, out var a) && !IPAddress.IsLoopback(a);

    /// <summary>Where a client on this device reaches the plain listener: loopback when it listens on every address.</summary>
    public string LocalAddress =>
        IPAddress.TryParse(ListenAddress, out var a) && (a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any)) ? "127.0.0.1" : ListenAddress;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Mode != BrokerMode.Embedded) return ValidateClient(errors);
        if (!IPAddress.TryParse(ListenAddress, out _)) errors.Add($"Broker:ListenAddress: '{ListenAddress}' is not an IP address");
        if (Port is < 0 or > 65535) errors.Add($"Broker:Port: {Port} is outside 0..65535 (0 disables the plain listener)");
        if (Port == 0 && !Tls.Enabled) errors.Add("Broker:Port: 0 disables the plain listener, but Broker:Tls:Enabled is false: the broker would have no listener");
        if (Tls.Enabled)
        {
            if (Tls.Port is < 1 or > 65535) errors.Add($"Broker:Tls:Port: {Tls.Port} is outside 1..65535");
            if (!File.Exists(Tls.CertificateFile)) errors.Add($"Broker:Tls:CertificateFile: '{Tls.CertificateFile}' does not exist");
            if (!File.Exists(Tls.KeyFile)) errors.Add($"Broker:Tls:KeyFile: '{Tls.KeyFile}' does not exist");
        }
        if ((ListensBeyondLoopback || Tls.Enabled) && Users.Count == 0)
            errors.Add($"Broker:Users: the broker listens beyond loopback ({ListenAddress}{(Tls.Enabled ? ", TLS" : "")}) but no users are configured; remote clients need a username and password");
        foreach (var (name, user) in Users)
        {
            if (string.IsNullOrWhiteSpace(name)) errors.Add("Broker:Users: a user name is empty");
            if (!PasswordHash.IsWellFormed(user.PasswordHash))
                errors.Add($"Broker:Users:{name}:PasswordHash: not a hash from 'edge-gateway hash-password' (pbkdf2-sha256$<iterations>$<salt>$<hash>)");
            if (!Enum.IsDefined(user.Role)) errors.Add($"Broker:Users:{name}:Role: '{user.Role}' is not one of sensor, reader, admin");
        }
        if (StatusInterval < TimeSpan.FromSeconds(1)) errors.Add($"Broker:StatusInterval: {StatusInterval} is shorter than 1 s");
        return errors;
    }

    private IReadOnlyList<string> ValidateClient(List<string> errors)
    {
        if (Mode == BrokerMode.Client)
        {
            if (string.IsNullOrWhiteSpace(External.Host)) errors.Add("Broker:External:Host: empty; Mode Client needs the broker to connect to");
            if (External.Port is < 1 or > 65535) errors.Add($"Broker:External:Port: {External.Port} is outside 1..65535");
        }
        if (StatusInterval < TimeSpan.FromSeconds(1)) errors.Add($"Broker:StatusInterval: {StatusInterval} is shorter than 1 s");
        return errors;
    }
}
