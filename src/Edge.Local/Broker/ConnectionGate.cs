using System.Net;
using Edge.Local.Status;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Edge.Local.Broker;

/// <summary>
/// Who may connect to the embedded broker, and as whom: anonymous clients only from loopback, accounts only with
/// their password (checks throttled by <see cref="LoginThrottle"/>), no client id starting with '$', and no client id
/// that another identity's session holds. The accepted <see cref="ClientIdentity"/> goes into the session's items,
/// where every PUBLISH and SUBSCRIBE check reads it.
/// </summary>
internal sealed class ConnectionGate(BrokerOptions options, string gatewayId, MqttServer server, BrokerCounters counters, ILogger logger, TimeProvider time)
{
    // The ids the gateway's own clients use: its uplink ("edge-<id>", Uplink:ClientId's default, which connects here
    // in Development) and its client of an existing broker ("edge-<id>-local"). Only clients on the device without an
    // account (where the gateway runs) may use them.
    private readonly string _own = $"edge-{gatewayId}";

    private readonly LoginThrottle _logins = new(options, time);

    public async Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        // MQTT 5 §3.1.3.1 / 3.1.1 §3.1.3.1: an empty client id asks the server to assign one (mosquitto_rr and
        // mosquitto_sub send none).
        if (string.IsNullOrEmpty(e.ClientId)) e.AssignedClientIdentifier = "auto-" + Guid.NewGuid().ToString("N");
        var address = e.RemoteEndPoint is IPEndPoint ip ? (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address) : IPAddress.None;
        var identity = e.ClientId?.StartsWith('$') == true
            ? Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, $"client ids starting with '$' are reserved for the gateway ({EmbeddedBroker.SenderId})")
            : await AuthenticateAsync(e, address).ConfigureAwait(false);
        if (identity?.User is not null && (e.ClientId == _own || e.ClientId?.StartsWith(_own + "-", StringComparison.Ordinal) == true))
            identity = Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, $"client id '{e.ClientId}' is reserved for the gateway's own clients ({_own}, {_own}-*)");
        if (identity is not null && !string.IsNullOrEmpty(e.ClientId) && await SessionOwnerAsync(e.ClientId).ConfigureAwait(false) is { } owner && owner.Owner != identity.Owner)
        {
            // A takeover would hand this connection the other identity's session (MQTTnet keeps the old session's
            // items on CleanStart=false) or disconnect its client: the id stays with whoever holds it.
            identity = Refuse(e, MqttConnectReasonCode.NotAuthorized, $"client id '{e.ClientId}' is in use by another account's session; choose another client id");
        }
        if (identity is null)
        {
            counters.Refuse(e.ReasonCode switch
            {
                MqttConnectReasonCode.BadUserNameOrPassword => "badLogin",
                MqttConnectReasonCode.ConnectionRateExceeded => "loginBackoff",
                MqttConnectReasonCode.ClientIdentifierNotValid => "clientId",
                MqttConnectReasonCode.ServerBusy => "loginBusy",
                _ => "notAuthorized",
            });
            logger.LogWarning("refused connection of client {Client} from {Endpoint} (user '{User}'): {Code} {Reason}", e.ClientId, e.RemoteEndPoint, e.UserName, e.ReasonCode, e.ReasonString);
            return;
        }
        identity.Store(e.SessionItems);
    }

    private async Task<ClientIdentity?> AuthenticateAsync(ValidatingConnectionEventArgs e, IPAddress address)
    {
        if (string.IsNullOrEmpty(e.UserName))
        {
            return IPAddress.IsLoopback(address) ? new ClientIdentity(null, options.LoopbackRole, [], address)
                : Refuse(e, MqttConnectReasonCode.NotAuthorized, "anonymous access is only allowed from the device itself; log in with a user from Broker:Users");
        }
        if (_logins.Blocked(address) is { } wait)
            return Refuse(e, MqttConnectReasonCode.ConnectionRateExceeded, $"too many failed logins from {address}; retry in {Math.Ceiling(wait.TotalSeconds)} s (Broker:LoginBackoff)");
        var user = options.Users.GetValueOrDefault(e.UserName);
        string password = e.Password;
        // Unknown users cost a hash check too, so the answer's timing does not tell which user names exist.
        bool? ok = await _logins.CheckAsync(() => PasswordHash.Verify(password, user?.PasswordHash ?? PasswordHash.Decoy) && user is not null, e.CancellationToken).ConfigureAwait(false);
        if (ok is null) return Refuse(e, MqttConnectReasonCode.ServerBusy, "too many logins are being checked at once (Broker:MaxConcurrentLogins); retry shortly");
        if (ok == false)
        {
            _logins.Failed(address);
            return Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "unknown user or wrong password");
        }
        _logins.Succeeded(address);
        return new ClientIdentity(e.UserName, user!.Role, user.Sensors, address);
    }

    private static ClientIdentity? Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string reason)
    {
        e.ReasonCode = code;
        e.ReasonString = reason;
        return null;
    }

    private async Task<ClientIdentity?> SessionOwnerAsync(string clientId)
    {
        try
        {
            return ClientIdentity.Of((await server.GetSessionAsync(clientId).ConfigureAwait(false)).Items);
        }
        catch (InvalidOperationException)
        {
            return null; // no session with that id (MQTTnet's GetSessionStatus throws rather than return null)
        }
    }

    // Two CONNECTs with one new client id can both pass validation before either has a session; MQTTnet then lets the
    // second take over the first's session. The connection event carries the session's items and this connection's
    // user: if they disagree, the connection goes before it can send a single packet (MQTTnet raises this event before
    // it reads any).
    public async Task OnConnectedAsync(ClientConnectedEventArgs e)
    {
        var session = ClientIdentity.Of(e.SessionItems);
        string connection = ClientIdentity.OwnerOf(e.UserName);
        if (session?.Owner == connection) return;
        logger.LogWarning("local broker: client {Client} ({Connection}) raced into the session of {Owner}; disconnected", e.ClientId, connection, session?.Owner ?? "nobody");
        await server.DisconnectClientAsync(e.ClientId, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized }).ConfigureAwait(false);
    }

}
