using System.Threading.Channels;
using Edge.Log;
using Edge.Log.Consumers;
using Edge.Uplink.Connection;
using Edge.Uplink.Flow;
using Edge.Uplink.Payload;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace Edge.Uplink.Forwarding;

/// <summary>
/// Forwards one partition, in order, at least once. A reader reads from the log at the next offset, encodes
/// messages and publishes each with QoS 1 as soon as the <see cref="UplinkGate"/> admits it, so many messages are in
/// flight; an acknowledger awaits their PUBACKs in publication order and commits the partition's offset only past a
/// message whose every predecessor was acknowledged. When the session drops or the broker refuses a message for a
/// transient reason, both stop and the partition restarts from the first unacknowledged offset — so order holds and
/// nothing is skipped; readings already delivered may be sent again (duplicates carry the same idempotency key).
/// While disconnected nothing is read: the backlog stays on disk, memory stays flat. Corrupt bytes in the log are
/// stepped over (<see cref="EdgeLog.SkipCorrupt"/>) and their offsets parked, in order, as unreadable; any other
/// exception ends <see cref="RunAsync"/> with every window slot given back, for the uplink to log and restart it.
/// </summary>
internal sealed class PartitionForwarder(
    EdgeLog log, ConsumerGroup group, GroupMember member, TopicPartition tp, int priority, PayloadEncoder encoder, MqttUplinkConnection connection,
    UplinkGate gate, DeadLetters deadLetters, UplinkCounters counters, UplinkOptions options, TimeProvider time, ILogger logger)
{
    private const int MaxAttempts = 5;
    private const int ReadBytes = 256 * 1024;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly List<CorruptRange> _unreadable = []; // the reader's only
    private long _committed;
    private Task _lastCommit = Task.CompletedTask;

    /// <summary>Next offset to deliver (everything before it is acknowledged and committed).</summary>
    public long Committed => Interlocked.Read(ref _committed);

    public TopicPartition Partition => tp;

    public async Task RunAsync(CancellationToken stop)
    {
        _lastCommit = Task.CompletedTask; // a restart after a failure begins afresh from the committed offset
        _committed = group.CommittedOffset(tp.Topic, tp.Partition) ?? log.GetPartitionInfo(tp.Topic, tp.Partition).LogStartOffset;
        int splitLimit = int.MaxValue, attempts = 0;
        long splitUntil = -1, retryAt = -1;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var session = await connection.WaitConnectedAsync(stop).ConfigureAwait(false);
                SkipEvicted();
                var outcome = await RunSessionAsync(session, splitLimit, stop).ConfigureAwait(false);
                switch (outcome.Kind)
                {
                    case OutcomeKind.Split:
                        counters.Split();
                        splitLimit = Math.Max(1, outcome.Readings / 2);
                        splitUntil = outcome.Last;
                        break;
                    case OutcomeKind.RetryLater:
                        attempts = outcome.First == retryAt ? attempts + 1 : 1;
                        retryAt = outcome.First;
                        counters.Retry();
                        if (attempts >= MaxAttempts)
                        {
                            await ParkAsync(outcome.First, outcome.Last, $"refused {attempts} times: {outcome.Reason}", stop).ConfigureAwait(false);
                            attempts = 0;
                            break;
                        }
                        logger.LogWarning("uplink {Partition}: the broker refused offsets {First}-{Last} ({Reason}); retrying in {Delay} s (attempt {Attempt} of {Max})",
                            tp, outcome.First, outcome.Last, outcome.Reason, options.RetryDelay.TotalSeconds, attempts, MaxAttempts);
                        await Task.Delay(options.RetryDelay, time, stop).ConfigureAwait(false);
                        break;
                }
                if (Committed > splitUntil) splitLimit = int.MaxValue;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        await _lastCommit.ConfigureAwait(false);
    }

    private async Task<Outcome> RunSessionAsync(ConnectedSession session, int splitLimit, CancellationToken stop)
    {
        using var round = CancellationTokenSource.CreateLinkedTokenSource(session.Lost, stop);
        var inFlight = Channel.CreateUnbounded<InFlight>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var acks = AcknowledgeAsync(inFlight.Reader, session, round, stop);
        long next = Committed;
        Exception? failure = null;
        // Unreadable ranges found so far and not yet parked; once quarantined, reads skip them without a word, so they
        // are kept across rounds and each round parks them when its reader reaches them.
        _unreadable.RemoveAll(r => r.NextOffset <= next);
        int gap = 0;
        try
        {
            while (!round.IsCancellationRequested)
            {
                ReadResult read;
                try
                {
                    read = log.Read(tp.Topic, tp.Partition, next, ReadBytes);
                }
                catch (CorruptRecordException)
                {
                    // Bit rot or a torn sector in a stored segment: the log steps over the bad batch (reads skip it from now
                    // on) and says which offsets it held. The readings before it are read again and sent; the lost range is
                    // parked in order, after everything before it is acknowledged (UPLINK.md §7).
                    var range = log.SkipCorrupt(tp.Topic, tp.Partition, next);
                    if (range is null) throw; // no corrupt batch found from here: not something to step over
                    if (range.Count > 0 && !_unreadable.Any(r => r.FirstOffset == range.FirstOffset))
                    {
                        _unreadable.Add(range);
                        _unreadable.Sort((a, b) => a.FirstOffset.CompareTo(b.FirstOffset));
                    }
                    continue;
                }
                if (read.Records.Count == 0)
                {
                    if (gap < _unreadable.Count && read.NextOffset >= _unreadable[gap].FirstOffset)
                    {
                        var end = _unreadable[gap++];
                        ParkInOrder(inFlight.Writer, end);
                        next = Math.Max(next, end.NextOffset);
                        continue;
                    }
                    next = Math.Max(next, read.NextOffset);
                    await log.WaitForDataAsync(tp.Topic, tp.Partition, next, round.Token).ConfigureAwait(false);
                    continue;
                }
                // Each message is published as soon as it is encoded: the first PUBACK does not wait for a whole read.
                var records = read.Records;
                for (int i = 0; i < records.Count && !round.IsCancellationRequested;)
                {
                    while (gap < _unreadable.Count && records[i].Offset >= _unreadable[gap].FirstOffset)
                        ParkInOrder(inFlight.Writer, _unreadable[gap++]); // the encoder never batches across the gap it leaves
                    if (encoder.EncodeNext(tp.Topic, records, ref i, splitLimit) is not { } m)
                    {
                        // Park it in order: after everything before it is acknowledged, so the commit can move past it.
                        var bad = records[i++];
                        inFlight.Writer.TryWrite(new InFlight(Marker(bad.Offset, bad.Offset), Task.FromResult<MqttClientPublishResult>(null!), 0, null));
                        next = bad.Offset + 1;
                        continue;
                    }
                    await gate.AcquireAsync(priority, m.Readings, m.Payload.Length, round.Token).ConfigureAwait(false);
                    // Not cancellable: once handed to MQTTnet the packet is on the wire; its PUBACK or the session loss decides.
                    counters.Sending(m.Readings);
                    inFlight.Writer.TryWrite(new InFlight(m, connection.PublishAsync(m, out long sequence, CancellationToken.None), sequence, null));
                    next = m.Last + 1;
                }
            }
        }
        catch (OperationCanceledException) when (round.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Unexpected (an I/O error reading the log, the dead-letter append failing): stop the round, let the
            // acknowledger drain what is in flight — committing what was acknowledged and giving back window slots —
            // then let the uplink log it and restart this partition.
            failure = e;
            round.Cancel();
        }
        inFlight.Writer.TryComplete();
        var outcome = await acks.ConfigureAwait(false);
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return outcome;
    }

    private void ParkInOrder(ChannelWriter<InFlight> inFlight, CorruptRange range) =>
        inFlight.TryWrite(new InFlight(Marker(range.FirstOffset, range.NextOffset - 1), Task.FromResult<MqttClientPublishResult>(null!), 0, range));

    // Awaits PUBACKs in publication order; commits past each fully acknowledged message; stops the round on the first failure.
    // PUBACKs mostly arrive in bursts: those already in are taken without a wait, and their commit is one commit for the
    // run (staged before the next wait, a park or the end of the round), not one per message.
    private async Task<Outcome> AcknowledgeAsync(ChannelReader<InFlight> inFlight, ConnectedSession session, CancellationTokenSource round, CancellationToken stop)
    {
        try
        {
            return await AcknowledgeInOrderAsync(inFlight, session, round, stop).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A park failed: the reader must not wait for window slots that will never come back, and every message
            // still in flight gives its slot back (they will be sent again after the restart).
            round.Cancel();
            await foreach (var entry in inFlight.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                if (entry.Message.Payload.Length > 0) gate.Release();
            throw;
        }
    }

    private async Task<Outcome> AcknowledgeInOrderAsync(ChannelReader<InFlight> inFlight, ConnectedSession session, CancellationTokenSource round, CancellationToken stop)
    {
        var outcome = Outcome.Continue;
        DateTimeOffset? drainUntil = null;
        long acknowledged = -1; // next offset past the acknowledged run not committed yet
        void CommitAcknowledged()
        {
            if (acknowledged < 0) return;
            Commit(acknowledged);
            acknowledged = -1;
        }
        while (true)
        {
            CommitAcknowledged();
            if (!await inFlight.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false)) break;
            while (inFlight.TryRead(out var entry))
            {
                var (m, ack, sequence, unreadable) = entry;
                MqttClientPublishResult? result = null;
                bool failed = false;
                // Once the connection is given up, what is still in flight will be sent again on the next one: don't wait
                // for it, just give back its window slot. After a refusal the connection lives on, so the window still
                // counts what is in flight there until its PUBACK comes (the broker's Receive Maximum and packet ids).
                if (m.Payload.Length > 0 && outcome.Kind != OutcomeKind.Reconnect)
                {
                    try
                    {
                        if (ack.IsCompletedSuccessfully)
                        {
                            result = ack.Result;
                        }
                        else
                        {
                            CommitAcknowledged();
                            result = await AwaitAckAsync(ack, sequence, stop, ref drainUntil).ConfigureAwait(false);
                        }
                        connection.Acknowledged(sequence);
                    }
                    catch (TimeoutException) when (!stop.IsCancellationRequested)
                    {
                        failed = true;
                        counters.AckTimedOut();
                        connection.Abort(session, $"no PUBACK for {tp} offsets {m.First}-{m.Last}, and none at all for {options.AckTimeout.TotalSeconds:0.#} s or later messages answered first (Uplink:AckTimeout)");
                    }
                    catch (Exception)
                    {
                        failed = true; // session lost, or the shutdown's drain time is up: not acknowledged
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
                else if (m.Payload.Length > 0)
                {
                    gate.Release();
                    _ = ack.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default); // observed: its fate no longer matters
                }
                if (outcome.Kind != OutcomeKind.Continue || failed)
                {
                    CommitAcknowledged();
                    if (outcome.Kind == OutcomeKind.Continue) outcome = Outcome.Reconnect(m.First);
                    counters.Rewound(m.Readings);
                    round.Cancel();
                    continue; // drain the rest; they will be sent again
                }
                if (m.Payload.Length == 0)
                {
                    CommitAcknowledged();
                    if (unreadable is not null) await ParkUnreadableAsync(unreadable).ConfigureAwait(false);
                    else await ParkAsync(m.First, m.Last, "not a reading: the record does not decode", CancellationToken.None).ConfigureAwait(false);
                    continue;
                }
                if (result!.IsSuccess)
                {
                    counters.Acked(m.Readings);
                    counters.AckObserver?.Invoke(m);
                    acknowledged = m.Last + 1;
                    continue;
                }
                CommitAcknowledged();
                counters.Refused(RefusalPolicy.Name(result.ReasonCode));
                string reason = $"{RefusalPolicy.Name(result.ReasonCode)}{(string.IsNullOrEmpty(result.ReasonString) ? "" : $" ({result.ReasonString})")}";
                switch (RefusalPolicy.For(result.ReasonCode, m.Readings))
                {
                    case RefusalAction.Park:
                    case RefusalAction.Split when m.Readings == 1:
                        await ParkAsync(m.First, m.Last, reason, CancellationToken.None).ConfigureAwait(false);
                        break;
                    case RefusalAction.Split:
                        outcome = new Outcome(OutcomeKind.Split, m.First, m.Last, m.Readings, reason);
                        round.Cancel();
                        break;
                    default:
                        outcome = new Outcome(OutcomeKind.RetryLater, m.First, m.Last, m.Readings, reason);
                        round.Cancel();
                        break;
                }
            }
        }
        CommitAcknowledged();
        return outcome;
    }

    // On a live connection a PUBACK is waited for until the broker goes silent for it (MqttUplinkConnection.IsSilentFor,
    // checked every AckTimeout). Once stopping, PUBACKs already owed get a bounded time in all (DrainTimeout from the
    // first one awaited), so their commits land without holding up the host's shutdown.
    private Task<MqttClientPublishResult> AwaitAckAsync(Task<MqttClientPublishResult> ack, long sequence, CancellationToken stop, ref DateTimeOffset? drainUntil)
    {
        if (!stop.IsCancellationRequested) return AwaitLiveAsync(ack, sequence, stop);
        drainUntil ??= time.GetUtcNow() + DrainTimeout;
        var left = drainUntil.Value - time.GetUtcNow();
        return left > TimeSpan.Zero ? ack.WaitAsync(left, time) : ack.IsCompleted ? ack : Task.FromException<MqttClientPublishResult>(new TimeoutException());
    }

    private async Task<MqttClientPublishResult> AwaitLiveAsync(Task<MqttClientPublishResult> ack, long sequence, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                try
                {
                    return await ack.WaitAsync(options.AckTimeout, time, stop).ConfigureAwait(false);
                }
                catch (TimeoutException) when (!connection.IsSilentFor(sequence))
                {
                    // PUBACKs are still arriving for messages sent before this one: a slow link, keep waiting.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping while this PUBACK is owed: it gets the drain time like the rest.
            return await ack.WaitAsync(DrainTimeout, time).ConfigureAwait(false);
        }
    }

    private async Task ParkAsync(long first, long last, string reason, CancellationToken cancellationToken)
    {
        var records = new List<LogRecord>();
        for (long o = first; o <= last;)
        {
            var read = log.Read(tp.Topic, tp.Partition, o, ReadBytes);
            if (read.Records.Count == 0) break;
            records.AddRange(read.Records.Where(r => r.Offset <= last).Select(Copy));
            o = read.NextOffset;
        }
        await deadLetters.ParkAsync(tp.Topic, records, reason, cancellationToken).ConfigureAwait(false);
        counters.Parked(records.Count);
        logger.LogError("uplink {Partition}: parked offsets {First}-{Last} in log topic {DeadLetter}: {Reason}", tp, first, last, deadLetters.Topic, reason);
        Commit(last + 1);
    }

    // The records are gone: park one dead letter naming the lost offsets and why, so the loss is on record, then go on.
    private async Task ParkUnreadableAsync(CorruptRange range)
    {
        await deadLetters.ParkUnreadableAsync(tp, range, CancellationToken.None).ConfigureAwait(false);
        counters.LostToCorruption(range.Count);
        logger.LogWarning("uplink {Partition}: offsets {First}-{Last} are unreadable (corrupt batch in {File} at byte {Position}: {Reason}); parked as a dead letter in log topic {DeadLetter}, forwarding goes on at {Next}",
            tp, range.FirstOffset, range.NextOffset - 1, range.File, range.Position, range.Reason, deadLetters.Topic, range.NextOffset);
        Commit(range.NextOffset);
    }

    private void Commit(long next)
    {
        Interlocked.Exchange(ref _committed, next);
        _lastCommit = member.CommitAsync(tp.Topic, tp.Partition, next); // batched by the offset store; durable when it completes
    }

    // Retention or the disk budget may have deleted what was never sent: say so, and go on from the log's start.
    private void SkipEvicted()
    {
        long start = log.GetPartitionInfo(tp.Topic, tp.Partition).LogStartOffset;
        if (Committed >= start) return;
        logger.LogWarning("uplink {Partition}: offsets {From}-{To} were deleted by retention or the disk budget before they could be sent", tp, Committed, start - 1);
        Commit(start);
    }

    private static LogRecord Copy(LogRecord r) => r with { Key = r.Key?.ToArray(), Value = r.Value?.ToArray() };

    // Not sent: parked in order when the acknowledger reaches it.
    private OutgoingMessage Marker(long first, long last) => new("", [], new IdempotencyKey("", tp.Topic, tp.Partition, first, last), 1, "");

    /// <summary>A message in flight, or a park marker (empty payload): a record that does not decode, or an unreadable range.</summary>
    private readonly record struct InFlight(OutgoingMessage Message, Task<MqttClientPublishResult> Ack, long Sequence, CorruptRange? Unreadable);

    private enum OutcomeKind
    {
        Continue,
        Reconnect,
        Split,
        RetryLater,
    }

    private readonly record struct Outcome(OutcomeKind Kind, long First, long Last, int Readings, string Reason)
    {
        public static Outcome Continue => new(OutcomeKind.Continue, 0, 0, 0, "");

        public static Outcome Reconnect(long first) => new(OutcomeKind.Reconnect, first, first, 0, "connection lost");
    }
}
