using System.Net.Sockets;

namespace Edge.Uplink.Tests.TestKit;

/// <summary>
/// A loopback TCP proxy in front of a broker that cuts a connection once <c>cutAfterBytes</c> have gone from client to
/// broker on it, <c>cuts</c> times in all: the link drops mid-window (often mid-packet), with PUBLISHes the broker took
/// but whose PUBACKs never reach the client. After the last cut connections pass through untouched. The cut is
/// decided by bytes, not time, so it always falls while messages are in flight.
/// </summary>
public sealed class CuttingProxy(int targetPort, int cuts, long cutAfterBytes) : LoopbackProxy(targetPort)
{
    private int _cutsLeft = cuts;
    private int _cuts;

    /// <summary>Connections cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    protected override async Task RelayAsync(Socket client, Socket broker, int connection, CancellationToken ct)
    {
        try
        {
            // A cut is counted when it is decided: the broker may close the same connection at that moment (it refuses
            // an oversized PUBLISH by closing), and whichever side ends first, the link is gone.
            var up = PumpAsync(client, broker, cutAfterBytes, () => Interlocked.Decrement(ref _cutsLeft) >= 0 && Interlocked.Increment(ref _cuts) > 0, ct);
            var down = CopyAsync(broker, client, ct);
            await Task.WhenAny(up, down);
        }
        finally
        {
            client.LingerState = new LingerOption(true, 0); // RST, as a dropped link looks to both ends
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
}
