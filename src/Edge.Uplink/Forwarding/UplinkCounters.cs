using System.Collections.Concurrent;

namespace Edge.Uplink.Forwarding;

/// <summary>What the uplink has done since start (thread-safe).</summary>
public sealed class UplinkCounters
{
    private long _messages, _readings, _resent, _deadLettered, _retries, _splits, _sent, _ackTimeouts, _unreadable, _restarts;

    /// <summary>Readings handed to the MQTT client (acknowledged or not).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Messages acknowledged by the broker.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Readings in acknowledged messages (a resent reading counts again).</summary>
    public long Readings => Interlocked.Read(ref _readings);

    /// <summary>Readings sent again after a connection loss or a transient refusal (duplicates the cloud may see).</summary>
    public long Resent => Interlocked.Read(ref _resent);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Offsets never sent because their stored bytes were corrupt (each range parked as one dead letter).</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>Times a partition's forwarding failed unexpectedly and was restarted.</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    public long Retries => Interlocked.Read(ref _retries);

    public long Splits => Interlocked.Read(ref _splits);

    /// <summary>PUBACKs that did not arrive within UplinkOptions.AckTimeout (each dropped the connection).</summary>
    public long AckTimeouts => Interlocked.Read(ref _ackTimeouts);

    /// <summary>Refusals by MQTT reason code.</summary>
    public ConcurrentDictionary<string, long> Refusals { get; } = new();

    /// <summary>Called on the acknowledging task for each acknowledged message (the e2e-latency benchmark's probe).</summary>
    internal Action<Payload.OutgoingMessage>? AckObserver { get; set; }

    internal void Sending(int readings) => Interlocked.Add(ref _sent, readings);

    internal void Acked(int readings)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _readings, readings);
    }

    internal void Rewound(long readings) => Interlocked.Add(ref _resent, readings);

    internal void Refused(string reason) => Refusals.AddOrUpdate(reason, 1, (_, n) => n + 1);

    internal void Parked(int readings) => Interlocked.Add(ref _deadLettered, readings);

    internal void LostToCorruption(long offsets) => Interlocked.Add(ref _unreadable, offsets);

    internal void Restarted() => Interlocked.Increment(ref _restarts);

    internal void Retry() => Interlocked.Increment(ref _retries);

    internal void Split() => Interlocked.Increment(ref _splits);

    internal void AckTimedOut()
    {
        Interlocked.Increment(ref _ackTimeouts);
        Refused(NoPubAck);
    }

    /// <summary>The key under which <see cref="Refusals"/> (and the status document) count missing PUBACKs.</summary>
    public const string NoPubAck = "no_puback";
}
