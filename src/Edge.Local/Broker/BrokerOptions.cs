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

    /// <summary>
    /// Largest MQTT packet a client may send, in bytes. Ingest payloads are at most Ingest:MaxPayloadBytes (4 KiB) and
    /// queries Query:MaxRequestBytes (16 KiB); 64 KiB leaves room and keeps MaxConnections × this within a few MB.
    /// </summary>
    public int MaxPacketBytes { get; set; } = 64 * 1024;

    /// <summary>Open connections at most (sensor nodes, dashboards, this device's own clients); more are closed when accepted.</summary>
    public int MaxConnections { get; set; } = 200;

    /// <summary>How long a new connection may take to finish TLS and send its CONNECT (MQTTnet's communication timeout).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Failed logins in a row from one address before it must wait <see cref="LoginBackoff"/>.</summary>
    public int LoginFailuresBeforeBackoff { get; set; } = 5;

    /// <summary>The first wait after too many failed logins; it doubles with each further failure up to <see cref="MaxLoginBackoff"/>.</summary>
    public TimeSpan LoginBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxLoginBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Password checks (PBKDF2, tens of ms of a Pi core each) running at once; one leaves the other cores to the gateway.</summary>
    public int MaxConcurrentLogins { get; set; } = 1;

    /// <summary>Messages a session queues at most (MQTTnet drops the oldest beyond it).</summary>
    public int MaxQueuedMessagesPerSession { get; set; } = 1000;

    /// <summary>Bytes of messages queued at most for a client while it is disconnected; later messages are not queued for it.</summary>
    public long MaxQueuedBytesPerSession { get; set; } = 1 << 20;

    /// <summary>How long a disconnected client's persistent session is kept at most, whatever expiry the client asked for.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    public bool ListensBeyondLoopback => IPAddress.TryParse(ListenAddress, out var a) && !IPAddress.IsLoopback(a);

    /// <summary>Where a client on this device reaches the plain listener: loopback when it listens on every address.</summary>
    public string LocalAddress =>
        IPAddress.TryParse(ListenAddress, out var a) && (a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any)) ? "127.0.0.1" : ListenAddress;

    /// <summary>
    /// The error for a listener that cannot bind (typically Mosquitto already owns 1883), naming the key to change: the
    /// gateway's start-up check and the broker's own start say it the same way.
    /// </summary>
    public static string CannotListen(string key, string address, int port, string why) =>
        $"{key}: cannot listen on {address}:{port} ({why}); another broker (e.g. Mosquitto) may own it: " +
        $"set {key} to a free port, or Broker:Mode to Client to use that broker";

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
            if (user.Sensors.Count > 0 && user.Role != BrokerRole.Sensor)
                errors.Add($"Broker:Users:{name}:Sensors: only a sensor account is limited to sensor ids; role {user.Role.ToString().ToLowerInvariant()} ignores them");
            foreach (var pattern in user.Sensors)
                if (SensorPatterns.Problem(pattern) is { } problem) errors.Add($"Broker:Users:{name}:Sensors: {problem}");
        }
        if (StatusInterval < TimeSpan.FromSeconds(1)) errors.Add($"Broker:StatusInterval: {StatusInterval} is shorter than 1 s");
        ValidateBounds(errors);
        return errors;
    }

    private void ValidateBounds(List<string> errors)
    {
        // 128 bytes hold any CONNECT with short credentials; MQTT's own maximum is 268,435,455 + 5 (MQTT 5 §1.5.5).
        if (MaxPacketBytes is < 1024 or > 256 << 20) errors.Add($"Broker:MaxPacketBytes: {MaxPacketBytes} is outside 1024..268435456");
        if (MaxConnections is < 1 or > 100_000) errors.Add($"Broker:MaxConnections: {MaxConnections} is outside 1..100000");
        if (ConnectTimeout < TimeSpan.FromSeconds(1)) errors.Add($"Broker:ConnectTimeout: {ConnectTimeout} is shorter than 1 s");
        if (LoginFailuresBeforeBackoff < 1) errors.Add($"Broker:LoginFailuresBeforeBackoff: {LoginFailuresBeforeBackoff} must be at least 1");
        if (LoginBackoff <= TimeSpan.Zero) errors.Add($"Broker:LoginBackoff: {LoginBackoff} must be positive");
        if (MaxLoginBackoff < LoginBackoff) errors.Add($"Broker:MaxLoginBackoff: {MaxLoginBackoff} is shorter than Broker:LoginBackoff ({LoginBackoff})");
        if (MaxConcurrentLogins is < 1 or > 64) errors.Add($"Broker:MaxConcurrentLogins: {MaxConcurrentLogins} is outside 1..64");
        if (MaxQueuedMessagesPerSession is < 1 or > 1_000_000) errors.Add($"Broker:MaxQueuedMessagesPerSession: {MaxQueuedMessagesPerSession} is outside 1..1000000");
        if (MaxQueuedBytesPerSession < 1024) errors.Add($"Broker:MaxQueuedBytesPerSession: {MaxQueuedBytesPerSession} is below 1024");
        if (SessionExpiry < TimeSpan.FromSeconds(1)) errors.Add($"Broker:SessionExpiry: {SessionExpiry} is shorter than 1 s");
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
