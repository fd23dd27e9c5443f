using System.Net;
using System.Net.Sockets;

namespace Edge.TestKit;

/// <summary>
/// A loopback TCP proxy in front of a server on <c>targetPort</c>: it accepts connections on its own <see cref="Port"/>,
/// opens one to the target for each, and lets the subclass relay bytes between the two (cut them, drop packets).
/// Both sockets are closed when the relay returns or throws (a connection ending is what such proxies are for).
/// </summary>
public abstract class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _connections;

    protected LoopbackProxy(int targetPort)
    {
        _target = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accept = AcceptAsync(); // no client can connect before the constructor returns the port
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>
    /// Relays one connection until either side ends it; <paramref name="connection"/> counts accepted connections from 1
    /// in the order they arrived. The sockets are disposed after it returns.
    /// </summary>
    protected abstract Task RelayAsync(Socket client, Socket target, int connection, CancellationToken ct);

    /// <summary>Copies bytes from one socket to the other until the source closes.</summary>
    protected static async Task CopyAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await from.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, ct);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = ConnectAndRelayAsync(client, Interlocked.Increment(ref _connections));
        }
    }

    private async Task ConnectAndRelayAsync(Socket client, int connection)
    {
        using var c = client;
        using var target = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            await target.ConnectAsync(IPAddress.Loopback, _target, linked.Token);
            await RelayAsync(c, target, connection, linked.Token);
        }
        catch (Exception)
        {
            // a connection ending
        }
        finally
        {
            linked.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception)
        {
            // stopping
        }
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
