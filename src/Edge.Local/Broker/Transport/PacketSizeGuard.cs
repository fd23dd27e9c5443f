using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;

namespace Edge.Local.Broker.Transport;

/// <summary>
/// An MQTT channel that refuses packets larger than Broker:MaxPacketBytes before MQTTnet sees their length.
/// MQTTnet 5.2 allocates the remaining length a fixed header announces (up to 268,435,455 bytes, MQTT 5 §1.5.5) before
/// reading the body — for a CONNECT, before authentication — so a few sockets sending five bytes each could exhaust a
/// Pi's memory. This follows the framing of the inbound byte stream (fixed header byte, Variable Byte Integer remaining
/// length, body) and fails the read that would hand over an oversized length, which closes the connection
/// (MQTT 5 §3.1.2.24: a receiver closes the connection on a packet above its maximum).
/// </summary>
internal sealed class PacketSizeGuard(IMqttChannel inner, int maxPacketBytes, Action<string> refused) : IMqttChannel
{
    private enum State { Header, Length, Body }

    private State _state = State.Header;
    private long _length;
    private int _lengthBytes;
    private long _bodyLeft;

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, isEndOfPacket, cancellationToken);

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        int read = await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        Follow(buffer.AsSpan(offset, read));
        return read;
    }

    public void Dispose() => inner.Dispose();

    private void Follow(ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            switch (_state)
            {
                case State.Header:
                    (_state, _length, _lengthBytes) = (State.Length, 0, 0);
                    break;
                case State.Length:
                    // Variable Byte Integer (MQTT 5 §1.5.5): 7 bits per byte, least significant first, at most 4 bytes.
                    _length |= (long)(bytes[i] & 0x7F) << (7 * _lengthBytes++);
                    long total = 1 + _lengthBytes + _length;
                    if (total > maxPacketBytes) throw Refuse(total, (bytes[i] & 0x80) != 0);
                    if ((bytes[i] & 0x80) != 0)
                    {
                        if (_lengthBytes == 4) throw Refuse(total, true);
                        break;
                    }
                    (_state, _bodyLeft) = _length == 0 ? (State.Header, 0L) : (State.Body, _length);
                    break;
                default:
                    int skip = (int)Math.Min(_bodyLeft, bytes.Length - i);
                    i += skip - 1;
                    _bodyLeft -= skip;
                    if (_bodyLeft == 0) _state = State.Header;
                    break;
            }
        }
    }

    private IOException Refuse(long total, bool atLeast)
    {
        string message = $"a packet of {(atLeast ? "at least " : "")}{total} bytes exceeds Broker:MaxPacketBytes ({maxPacketBytes}); connection closed";
        refused(message);
        return new IOException(message);
    }
}
