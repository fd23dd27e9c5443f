using System.Collections;
using System.Net;

namespace Edge.Local.Broker;

/// <summary>
/// Who a connection authenticated as: an account of Broker:Users, or an anonymous client on the device. It is fixed
/// when the CONNECT is accepted and kept in the MQTTnet session's items; since a client id held by one identity is
/// refused to any other (<see cref="EmbeddedBroker"/>), a session's items always describe the connection using it.
/// </summary>
public sealed record ClientIdentity(string? User, BrokerRole Role, IReadOnlyList<string> Sensors, IPAddress Address)
{
    private const string Key = "edge.identity";

    /// <summary>Who owns the client ids this identity uses: the account, or every anonymous client on the device alike.</summary>
    public string Owner => OwnerOf(User);

    public static string OwnerOf(string? user) => string.IsNullOrEmpty(user) ? "anonymous (loopback)" : $"user '{user}'";

    /// <summary>What rate limits count by: the account, or the address of an anonymous client — never the client id.</summary>
    public string RateKey => User is null ? $"address:{Address}" : $"user:{User}";

    public void Store(IDictionary items) => items[Key] = this;

    /// <summary>The identity in a session's items; null for a session we did not validate (cannot happen: treat as refused).</summary>
    public static ClientIdentity? Of(IDictionary? items) => items?[Key] as ClientIdentity;
}
