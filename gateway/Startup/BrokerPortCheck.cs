using System.Net;
using System.Net.Sockets;
using Edge.Local.Broker;

namespace Edge.Gateway.Startup;

/// <summary>
/// The embedded broker's listeners (Broker:Port, and Broker:Tls:Port with TLS) are free, checked before the host
/// starts: a port another broker owns (typically Mosquitto on 1883) is then one line naming the key to change, instead
/// of the host's "Hosting failed to start" stack trace before it. A port taken between this check and the broker's
/// start is still refused, by the broker, with the same message after the host's trace.
/// </summary>
internal static class BrokerPortCheck
{
    public static void Run(BrokerOptions broker, List<string> failures)
    {
        if (broker.Mode != BrokerMode.Embedded || !IPAddress.TryParse(broker.ListenAddress, out var address)) return; // the validator names a bad address
        if (broker.Port > 0) Check(address, broker.Port, "Broker:Port", failures);
        if (broker.Tls.Enabled) Check(address, broker.Tls.Port, "Broker:Tls:Port", failures);
    }

    private static void Check(IPAddress address, int port, string key, List<string> failures)
    {
        using var probe = new TcpListener(address, port);
        try
        {
            probe.Start(); // a listener closed without connections leaves no TIME_WAIT: the broker binds right after
        }
        catch (SocketException e)
        {
            failures.Add(BrokerOptions.CannotListen(key, address.ToString(), port, e.Message));
        }
    }
}
