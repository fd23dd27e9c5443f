using System.Net;
using System.Net.Sockets;

namespace Edge.TestKit;

/// <summary>Loopback ports for brokers and gateways a test starts.</summary>
public static class FreePort
{
    /// <summary>
    /// A loopback TCP port nothing listens on now: the kernel's pick for a listener on port 0 (ip(7)), released at
    /// once. Another process may take it before the caller binds it; the ephemeral range makes that rare.
    /// </summary>
    public static int Get()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
