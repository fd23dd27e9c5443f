using System.Net;
using System.Net.Sockets;

namespace Edge.Uplink.Tests.TestKit;

/// <summary>
/// A loopback TCP proxy in front of a broker that cuts a connection once <c>cutAfterBytes</c> have gone from client to
/// broker on it, <c>cuts</c> times in all: the link drops mid-window (often mid-packet), with PUBLISHes the broker took
/// but whose PUBACKs never reach the client. After the last cut connections pass through untouched. The cut is
/// decided by bytes, not time, so it always falls while messages are in flight.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly long _cutAfterBytes;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _cutsLeft;
    private int _cuts;

    public CuttingProxy(int targetPort, int cuts, long cutAfterBytes)
    {
        _target = targetPort;
        _cutsLeft = cuts;
        _cutAfterBytes = cutAfterBytes;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

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
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var c = client;
        using var broker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            await broker.ConnectAsync(IPAddress.Loopback, _target, linked.Token);
            var up = PumpAsync(c, broker, _cutAfterBytes, () => Interlocked.Decrement(ref _cutsLeft) >= 0, linked.Token);
            var down = PumpAsync(broker, c, long.MaxValue, () => false, linked.Token);
            await Task.WhenAny(up, down);
            if (up.IsCompletedSuccessfully && up.Result) Interlocked.Increment(ref _cuts);
        }
        catch (Exception)
        {
            // a connection ending is what this class is for
        }
        finally
        {
            linked.Cancel();
            c.LingerState = new LingerOption(true, 0); // RST, as a dropped link looks to both ends
            broker.LingerState = new LingerOption(true, 0);
        }
    }

    // Copies until the source closes (false) or `limit` bytes have been copied and `cut` agrees (true: cut here).
    private static async Task<bool> PumpAsync(Socket from, Socket to, long limit, Func<bool> cut, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        long copied = 0;
        while (true)
        {
            int n = await from.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - copied)), SocketFlags.None, ct);
            if (n == 0) return false;
            await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, ct);
            copied += n;
            if (copied < limit) continue;
            if (cut()) return true;
            limit = long.MaxValue;
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
    }
}
