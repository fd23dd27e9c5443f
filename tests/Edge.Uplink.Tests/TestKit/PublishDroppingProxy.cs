using System.Net;
using System.Net.Sockets;

namespace Edge.Uplink.Tests.TestKit;

/// <summary>
/// A loopback TCP proxy in front of a broker that reads the client's MQTT packets (fixed header and remaining length,
/// MQTT 5.0 §2.1) and silently drops chosen PUBLISH packets — the n-th PUBLISH of each connection, for each n in
/// <c>dropNth</c>, on the first <c>connections</c> connections — forwarding everything else. The broker never sees
/// those messages and acknowledges the ones behind them: a message lost on the way, as a broker that drops one under
/// load does, which only the uplink's AckTimeout can notice.
/// </summary>
public sealed class PublishDroppingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly HashSet<int> _dropNth;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _connectionsLeft;
    private int _dropped;

    public PublishDroppingProxy(int targetPort, int connections, params int[] dropNth)
    {
        _target = targetPort;
        _connectionsLeft = connections;
        _dropNth = [.. dropNth];
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>PUBLISH packets dropped so far.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

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
            _ = RelayAsync(client, Interlocked.Decrement(ref _connectionsLeft) >= 0);
        }
    }

    private async Task RelayAsync(Socket client, bool drop)
    {
        using var c = client;
        using var broker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            await broker.ConnectAsync(IPAddress.Loopback, _target, linked.Token);
            var up = ForwardPacketsAsync(c, broker, drop, linked.Token);
            var down = CopyAsync(broker, c, linked.Token);
            await Task.WhenAny(up, down);
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

    private async Task ForwardPacketsAsync(Socket from, Socket to, bool drop, CancellationToken ct)
    {
        var stream = new NetworkStream(from, ownsSocket: false);
        var header = new byte[5];
        int publishes = 0;
        while (true)
        {
            // Fixed header: one byte of type and flags, then the remaining length as a varint of at most 4 bytes.
            await stream.ReadExactlyAsync(header.AsMemory(0, 1), ct);
            int length = 0, used = 1;
            for (int shift = 0; ; shift += 7)
            {
                await stream.ReadExactlyAsync(header.AsMemory(used, 1), ct);
                length |= (header[used] & 0x7F) << shift;
                if ((header[used++] & 0x80) == 0) break;
            }
            var body = new byte[length];
            await stream.ReadExactlyAsync(body, ct);
            if (drop && header[0] >> 4 == 3 && _dropNth.Contains(++publishes))
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }
            await to.SendAsync(header.AsMemory(0, used), SocketFlags.None, ct);
            await to.SendAsync(body, SocketFlags.None, ct);
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await from.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, ct);
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
    }
}
