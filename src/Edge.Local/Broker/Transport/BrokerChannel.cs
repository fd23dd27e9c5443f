using Edge.Readings.Transport;
using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Runtime.ExceptionServices;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;
using MQTTnet.Exceptions;

namespace Edge.Local.Broker.Transport;

/// <summary>
/// One client connection under MQTTnet, in place of its MqttTcpChannel, so that every packet leaves in one write.
/// MQTTnet's channel adapter writes a packet with a payload in two calls — the header, then the payload
/// (MqttChannelAdapter.SendPacketAsync, AllowPacketFragmentation) — and MqttTcpChannel turns each into its own send: two
/// TCP segments per reply, live reading and status message, the first a few dozen bytes, and under TLS two records.
/// This channel keeps the header until the packet's end and sends both with one write. Reads come from the stream
/// given (<see cref="QuickAckStream"/>, or TLS over it), as MqttTcpChannel reads. While corked (<see cref="AckPipeline"/>
/// sending a run of PUBACKs that became ready together), whole packets are gathered and leave in one write at uncork.
/// </summary>
internal sealed class BrokerChannel(Stream stream, EndPoint? local, EndPoint? remote) : IMqttChannel
{
    private readonly bool _secure = stream is SslStream;
    // Gathered packets are written out at this size even while corked, so a cork never holds much.
    private const int CorkBytes = 64 * 1024;

    // Not disposed: a write may still be leaving it when the connection closes, and it never allocates a wait handle.
#pragma warning disable CA2213
    private readonly SemaphoreSlim _writeLock = new(1, 1);
#pragma warning restore CA2213
    private byte[]? _head;
    private int _headLength;
    private byte[]? _cork;
    private int _corkLength;
    private bool _corked;
#pragma warning disable CA2213 // disposed in Dispose, through the exchange
    private Stream? _stream = stream;
#pragma warning restore CA2213

    public X509Certificate2 ClientCertificate => null!; // client certificates are not asked for (BrokerTlsOptions)

    public EndPoint RemoteEndPoint { get; } = remote!;

    public EndPoint LocalEndPoint { get; } = local!;

    public bool IsSecureConnection => _secure;

    public Task ConnectAsync(CancellationToken cancellationToken) => throw new NotSupportedException("a server-side channel is connected when accepted");

    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var s = _stream;
        if (s is null) return 0;
        try
        {
            return await s.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return 0; // closed by us: a graceful end, as MqttTcpChannel reports it
        }
        catch (IOException e) when (e.InnerException is SocketException socket)
        {
            ExceptionDispatchInfo.Capture(socket).Throw();
            throw;
        }
    }

    /// <summary>
    /// One packet in one or more calls (MQTTnet's channel adapter sends one packet at a time under its own lock); the
    /// last call writes it. Writes are serialised with <see cref="UncorkAsync"/> by this channel's own lock.
    /// </summary>
    public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_stream is null) throw new MqttCommunicationException("The TCP connection is closed.");
        if (!isEndOfPacket)
        {
            Keep(ref _head, ref _headLength, buffer);
            return;
        }
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_corked)
            {
                if (_corkLength > 0 && _corkLength + _headLength + buffer.Length > CorkBytes) await FlushCorkAsync(cancellationToken).ConfigureAwait(false);
                Keep(ref _cork, ref _corkLength, new ReadOnlySequence<byte>(_head.AsMemory(0, _headLength)));
                Keep(ref _cork, ref _corkLength, buffer);
                return;
            }
            if (_headLength == 0 && buffer.IsSingleSegment)
            {
                await WriteOnceAsync(buffer.First, cancellationToken).ConfigureAwait(false);
                return;
            }
            int total = _headLength + checked((int)buffer.Length);
            byte[] packet = ArrayPool<byte>.Shared.Rent(total);
            try
            {
                _head.AsSpan(0, _headLength).CopyTo(packet);
                buffer.CopyTo(packet.AsSpan(_headLength));
                await WriteOnceAsync(packet.AsMemory(0, total), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(packet);
            }
        }
        finally
        {
            _headLength = 0;
            _writeLock.Release();
        }
    }

    /// <summary>Gathers whole packets from now on until <see cref="UncorkAsync"/>. One corker at a time (the connection's AckPipeline).</summary>
    public void Cork() => _corked = true;

    /// <summary>Writes what was gathered since <see cref="Cork"/> in one write.</summary>
    public async Task UncorkAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _corked = false;
            if (_corkLength > 0) await FlushCorkAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task FlushCorkAsync(CancellationToken cancellationToken)
    {
        int n = _corkLength;
        _corkLength = 0;
        await WriteOnceAsync(_cork.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        if (_cork!.Length > CorkBytes) _cork = null; // one large packet does not pin a large buffer to the connection
    }

    private async Task WriteOnceAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var s = _stream ?? throw new MqttCommunicationException("The TCP connection is closed.");
        try
        {
            await s.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            throw new MqttCommunicationException("The TCP connection is closed.");
        }
        catch (IOException e) when (e.InnerException is SocketException socket)
        {
            ExceptionDispatchInfo.Capture(socket).Throw();
            throw;
        }
    }

    public void Dispose()
    {
        var s = Interlocked.Exchange(ref _stream, null);
        s?.Dispose(); // the write lock is left to the collector: a pending UncorkAsync may still release it
    }

    // The header (fixed header, topic, properties: MqttBufferWriter's bytes) is only valid until the adapter's
    // Cleanup after the payload's write, so it is copied; buffers grow to the largest seen.
    private static void Keep(ref byte[]? target, ref int length, ReadOnlySequence<byte> buffer)
    {
        int need = length + checked((int)buffer.Length);
        if (target is null || target.Length < need) Array.Resize(ref target, Math.Max(need, Math.Max(256, (target?.Length ?? 0) * 2)));
        buffer.CopyTo(target.AsSpan(length));
        length = need;
    }
}
