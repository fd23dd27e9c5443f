using System.Net.Sockets;

namespace Edge.Readings.Transport;

/// <summary>
/// A socket as a stream that reads in chunks and acknowledges each chunk at once (Linux TCP_QUICKACK), under
/// MQTT (and under TLS). Most MQTT clients leave Nagle's algorithm on (mqtt.js, the library inside Node-RED and most
/// dashboards, does): such a client holds its next small packet — the PUBACK for our reply, its next request — until
/// its previous one is acknowledged, and Linux delays that ACK up to 40 ms when the broker has nothing to send back at
/// once (tcp(7), TCP_QUICKACK; RFC 1122 §4.2.3.2). Acknowledging every receive at once removes that stall for every
/// packet the broker receives. Reading in chunks also serves MQTTnet's small reads (two header bytes, then each
/// length byte, then the body) from memory: one receive for a burst of PUBLISHes instead of three or more per packet.
/// The uplink's socket uses it too, against brokers with Nagle on (Mosquitto without set_tcp_nodelay): each small
/// PUBACK would otherwise wait up to 40 ms whenever the uplink went quiet waiting for PUBACKs (UPLINK.md). One type
/// for both ends of the gateway's MQTT, here beside the other transport piece they share (Retry/ReconnectBackoff).
/// </summary>
public sealed class QuickAckStream(Socket socket) : Stream
{
    // netinet/in.h and linux/tcp.h: TCP-level option numbers are the same on every architecture (only SOL_SOCKET ones
    // live in the per-architecture asm/socket.h). The value is a C int in host byte order, as BitConverter writes it.
    private const int IpProtoTcp = 6, TcpQuickAck = 12;

    // One receive takes what a burst of readings puts on the wire (a JSON reading is a few hundred bytes).
    private const int ChunkBytes = 16 * 1024;
    private static readonly byte[] On = BitConverter.GetBytes(1);

    private readonly NetworkStream _inner = new(socket, ownsSocket: true);
    private readonly byte[] _buffer = new byte[ChunkBytes];
    private int _start, _end;
    private bool _quickAck = OperatingSystem.IsLinux();

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty) return 0;
        if (_start == _end)
        {
            int n = await _inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0) return 0;
            (_start, _end) = (0, n);
            AcknowledgeNow();
        }
        return Take(destination.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        if (destination.IsEmpty) return 0;
        if (_start == _end)
        {
            int n = _inner.Read(_buffer);
            if (n == 0) return 0;
            (_start, _end) = (0, n);
            AcknowledgeNow();
        }
        return Take(destination);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) => _inner.WriteAsync(source, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> source) => _inner.Write(source);

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private int Take(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }

    // Sends the ACK for what was just read now instead of after the delayed-ACK timer. The option does not stick
    // (Linux falls back to delayed ACKs on its own, tcp(7)), so it is set again after every receive.
    private void AcknowledgeNow()
    {
        if (!_quickAck) return;
        try
        {
            socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, On);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            _quickAck = false; // not available here: plain delayed ACKs
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
