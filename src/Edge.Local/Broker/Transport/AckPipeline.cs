using System.Threading.Channels;
using MQTTnet.Adapter;
using MQTTnet.Packets;

namespace Edge.Local.Broker.Transport;

/// <summary>
/// One connection's acknowledgements that wait for something (an ingested reading's durability), sent strictly in the
/// order their PUBLISHes arrived (MQTT 5 §4.6: PUBACKs in the order the PUBLISH packets were received [MQTT-4.6.0-2]),
/// each when its own task completes, while the connection's next packets are read. Bounded: at most the per-connection
/// limit here, and the shared limit across all connections, are pending; <see cref="EnterAsync"/> waits for a slot,
/// which stops reading the connection (TCP back-pressure on the client: nothing is refused or dropped).
/// Enter, Enqueue and DrainAsync are called by the connection's receive loop only (one at a time).
/// </summary>
internal sealed class AckPipeline : IDisposable
{
    private readonly IMqttChannelAdapter _adapter;
    private readonly BrokerChannel _channel;
#pragma warning disable CA2213 // disposed when the pump has ended (Dispose), after the last acknowledgement released its slot
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _total;
    private readonly Channel<Task<MqttPacket>> _queue = Channel.CreateUnbounded<Task<MqttPacket>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _closed = new();
#pragma warning restore CA2213
    private readonly object _lock = new();
    private readonly Task _pump;
    private long _enqueued, _done;
    private long _keepAliveTicks;
    private (long Upto, TaskCompletionSource Done)? _drain;

    public AckPipeline(IMqttChannelAdapter adapter, BrokerChannel channel, int perConnection, SemaphoreSlim total)
    {
        (_adapter, _channel, _total) = (adapter, channel, total);
        _slots = new SemaphoreSlim(perConnection, perConnection);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Acknowledgements enqueued and not yet sent (or abandoned, once the connection closed).</summary>
    public int Pending
    {
        get { lock (_lock) return (int)(_enqueued - _done); }
    }

    /// <summary>Waits for room for one more pending acknowledgement, on this connection and in total.</summary>
    public async ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _total.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Queues the packet <paramref name="ack"/> yields, after everything queued before it; one slot taken by <see cref="EnterAsync"/> each.</summary>
    public void Enqueue(Task<MqttPacket> ack)
    {
        lock (_lock) _enqueued++;
        if (!_queue.Writer.TryWrite(ack)) Release(); // closed: nothing will be sent on this connection any more
    }

    /// <summary>
    /// Completes when everything queued so far has been sent: before an acknowledgement MQTTnet sends itself (another
    /// QoS 1 PUBLISH on the same connection), so that it cannot overtake ours.
    /// </summary>
    public Task DrainAsync()
    {
        lock (_lock)
        {
            if (_done >= _enqueued) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _drain = (_enqueued, done);
            return done.Task;
        }
    }

    /// <summary>True about once a second: time to let MQTTnet see a packet of this connection (<see cref="PipelinedIngest.KeepAliveTopic"/>).</summary>
    public bool KeepAliveDue()
    {
        long now = Environment.TickCount64;
        if (now - _keepAliveTicks < 1000) return false;
        _keepAliveTicks = now;
        return true;
    }

    private async Task PumpAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (reader.TryPeek(out var oldest) && !oldest.IsCompleted) await Task.WhenAny(oldest).ConfigureAwait(false); // its durability
            // Everything whose acknowledgement is ready now goes out in one write, not one write (and segment) each.
            _channel.Cork();
            try
            {
                while (reader.TryPeek(out var next) && next.IsCompleted)
                {
                    reader.TryRead(out _);
                    await SendAsync(next).ConfigureAwait(false);
                }
            }
            finally
            {
                try
                {
                    await _channel.UncorkAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
                {
                    _closed.Cancel();
                }
            }
        }
    }

    private async Task SendAsync(Task<MqttPacket> ack)
    {
        try
        {
            MqttPacket packet;
            try
            {
                packet = await ack.ConfigureAwait(false);
            }
            catch (Exception)
            {
                return; // only when its connection is ending (PipelinedIngest): nothing to send
            }
            if (!_closed.IsCancellationRequested) await _adapter.SendPacketAsync(packet, _closed.Token).ConfigureAwait(false);
        }
        catch (Exception) when (_closed.IsCancellationRequested)
        {
            // The connection closed: the client resends what it has no PUBACK for (MQTT 5 §4.4).
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            _closed.Cancel(); // the connection broke under us: the rest is abandoned the same way
        }
        finally
        {
            Release();
        }
    }

    private void Release()
    {
        _total.Release();
        _slots.Release();
        TaskCompletionSource? done = null;
        lock (_lock)
        {
            _done++;
            if (_drain is { } d && _done >= d.Upto)
            {
                done = d.Done;
                _drain = null;
            }
        }
        done?.TrySetResult();
    }

    /// <summary>
    /// Ends sending (the connection closed); acknowledgements still waiting keep their slots until their tasks
    /// complete, so the total bound still counts readings the log holds for them.
    /// </summary>
    public void Dispose()
    {
        _closed.Cancel();
        _queue.Writer.TryComplete();
        _ = _pump.ContinueWith(_ =>
        {
            _slots.Dispose();
            _closed.Dispose();
        }, TaskScheduler.Default);
    }
}
