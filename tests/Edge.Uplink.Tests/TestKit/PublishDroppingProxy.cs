using System.Net.Sockets;

namespace Edge.Uplink.Tests.TestKit;

/// <summary>
/// A loopback TCP proxy in front of a broker that reads the client's MQTT packets (fixed header and remaining length,
/// MQTT 5.0 §2.1) and silently drops chosen PUBLISH packets — the n-th PUBLISH of each connection, for each n in
/// <c>dropNth</c>, on the first <c>connections</c> connections — forwarding everything else. The broker never sees
/// those messages and acknowledges the ones behind them: a message lost on the way, as a broker that drops one under
/// load does, which only the uplink's AckTimeout can notice.
/// </summary>
public sealed class PublishDroppingProxy(int targetPort, int connections, params int[] dropNth) : LoopbackProxy(targetPort)
{
    private readonly HashSet<int> _dropNth = [.. dropNth];
    private int _dropped;

    /// <summary>PUBLISH packets dropped so far.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    protected override async Task RelayAsync(Socket client, Socket broker, int connection, CancellationToken ct)
    {
        var up = ForwardPacketsAsync(client, broker, connection <= connections, ct);
        var down = CopyAsync(broker, client, ct);
        await Task.WhenAny(up, down);
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
}
