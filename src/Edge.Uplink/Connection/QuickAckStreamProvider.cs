using Edge.Readings.Transport;
using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace Edge.Uplink.Connection;

/// <summary>
/// Opens the uplink's TCP connection for MQTTnet (TLS, when configured, is layered on top by MQTTnet). Unlike
/// MQTTnet's own socket it acknowledges what it reads at once (<see cref="QuickAckStream"/>), and its buffers hold a
/// few default batches instead of MQTTnet's fixed 8 KB, which split a batch into partial writes.
/// </summary>
internal sealed class QuickAckStreamProvider : IMqttClientStreamProvider
{
    // A few 64 KB batches: a whole PUBLISH goes to the kernel in one write. Messages past the admission window wait in
    // MQTTnet's send queue anyway, so a bigger buffer would not move a high-priority message ahead.
    private const int BufferBytes = 256 * 1024;

    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        // Disposed in the catch below, or by the QuickAckStream it is handed to (which owns it).
#pragma warning disable CA2000
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
#pragma warning restore CA2000
        try
        {
            // Set inside the try: a setter that throws (setsockopt) must not leak the socket.
            socket.NoDelay = true;
            socket.SendBufferSize = BufferBytes;
            socket.ReceiveBufferSize = BufferBytes;
            socket.LingerState = new LingerOption(true, 0); // as MQTTnet's own socket
            await socket.ConnectAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
            return new QuickAckStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
