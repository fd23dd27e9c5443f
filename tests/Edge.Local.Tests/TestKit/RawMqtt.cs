using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Edge.Local.Tests.TestKit;

/// <summary>
/// An MQTT 3.1.1 client written out by hand (MQTT 3.1.1 §3.1, §3.3, §3.4), for tests that must control exactly which
/// packets leave in one write and see every PUBACK in the order it arrives — what a library client hides.
/// </summary>
public sealed class RawMqtt : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private NetworkStream _stream = null!;

    public static async Task<RawMqtt> ConnectAsync(int port, string user, string password, ushort keepAliveSeconds = 60)
    {
        var c = new RawMqtt();
        await c._tcp.ConnectAsync(IPAddress.Loopback, port);
        c._stream = c._tcp.GetStream();
        var body = new List<byte>();
        body.AddRange(Str("MQTT"));
        body.Add(4); // protocol level 3.1.1
        body.Add(0b1100_0010); // user name, password, clean session
        body.Add((byte)(keepAliveSeconds >> 8));
        body.Add((byte)keepAliveSeconds);
        body.AddRange(Str($"raw-{Guid.NewGuid():N}"[..20]));
        body.AddRange(Str(user));
        body.AddRange(Str(password));
        await c.SendAsync(Packet(0x10, body));
        var connack = await c.ReadPacketAsync();
        if (connack.Type != 0x20 || connack.Body[1] != 0) throw new InvalidOperationException($"CONNACK refused: return code {connack.Body[1]}");
        return c;
    }

    /// <summary>A QoS 1 PUBLISH packet (§3.3), to send alone or with others in one write.</summary>
    public static byte[] Publish(ushort packetId, string topic, byte[] payload)
    {
        var body = new List<byte>(Str(topic)) { (byte)(packetId >> 8), (byte)packetId };
        body.AddRange(payload);
        return Packet(0x32, body);
    }

    public async Task SendAsync(params byte[][] packets)
    {
        await _stream.WriteAsync(packets.SelectMany(p => p).ToArray());
    }

    /// <summary>Bytes received and not yet read: 0 means the broker has sent nothing since the last read.</summary>
    public int Unread => _tcp.Client.Available;

    /// <summary>The next packet, its type being the first byte's upper nibble (0x40 PUBACK); throws when the connection closes first.</summary>
    public async Task<(int Type, byte[] Body)> ReadPacketAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        byte first = (await ReadExactlyAsync(1, cts.Token))[0];
        int length = 0, shift = 0;
        byte b;
        do
        {
            b = (await ReadExactlyAsync(1, cts.Token))[0];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return (first & 0xF0, await ReadExactlyAsync(length, cts.Token));
    }

    /// <summary>The packet id of the next packet, which must be a PUBACK.</summary>
    public async Task<ushort> ReadPubAckAsync()
    {
        var (type, body) = await ReadPacketAsync();
        if (type != 0x40) throw new InvalidOperationException($"expected a PUBACK, got packet type 0x{type:X2}");
        return (ushort)(body[0] << 8 | body[1]);
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<byte[]> ReadExactlyAsync(int n, CancellationToken ct)
    {
        var buffer = new byte[n];
        await _stream.ReadExactlyAsync(buffer, ct);
        return buffer;
    }

    private static byte[] Str(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        return [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
    }

    private static byte[] Packet(byte header, List<byte> body)
    {
        var packet = new List<byte> { header };
        int length = body.Count;
        do
        {
            byte digit = (byte)(length % 128);
            length /= 128;
            if (length > 0) digit |= 0x80;
            packet.Add(digit);
        }
        while (length > 0);
        packet.AddRange(body);
        return [.. packet];
    }
}
