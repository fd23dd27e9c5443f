using System.Collections.Concurrent;

namespace Edge.Log.Storage;

/// <summary>
/// What the disk budget (Maintenance) and the partitions' writers tell each other (FORMAT.md §7.3): the active-segment limit the
/// budget imposes, "check the budget now" (a write hit ENOSPC), "space was freed" (the
/// flushers waiting after ENOSPC retry), and which partitions are waiting. Thread-safe.
/// </summary>
internal sealed class DiskPressure
{
    private readonly ConcurrentDictionary<PartitionWriter, DateTimeOffset> _waiting = new();
    private TaskCompletionSource _checkRequested = NewSignal();
    private long _segmentLimit = long.MaxValue;
    private long _diskFullEvents;
    private long _spaceFreed;

    /// <summary>Active segments roll when they would grow past this (besides their topic's SegmentBytes).</summary>
    public long SegmentLimit
    {
        get => Interlocked.Read(ref _segmentLimit);
        set => Interlocked.Exchange(ref _segmentLimit, value);
    }

    /// <summary>Times a partition's write found the disk full.</summary>
    public long DiskFullEvents => Interlocked.Read(ref _diskFullEvents);

    /// <summary>Increases each time retention or eviction freed space.</summary>
    public long SpaceFreedCount => Interlocked.Read(ref _spaceFreed);

    /// <summary>Partitions whose flusher waits for space after ENOSPC, with when they started waiting.</summary>
    public IReadOnlyCollection<KeyValuePair<PartitionWriter, DateTimeOffset>> Waiting => _waiting.ToArray();

    public bool AnyWaiting => !_waiting.IsEmpty;

    /// <summary>Completes when someone asked for a budget check since the last <see cref="TakeCheckRequest"/>.</summary>
    public Task CheckRequested => Volatile.Read(ref _checkRequested).Task;

    public void RequestCheck() => Volatile.Read(ref _checkRequested).TrySetResult();

    /// <summary>Called by the budget before it checks: requests from now on wake the next check.</summary>
    public void TakeCheckRequest()
    {
        if (Volatile.Read(ref _checkRequested).Task.IsCompleted) Interlocked.Exchange(ref _checkRequested, NewSignal());
    }

    public void EnterDiskFull(PartitionWriter p, DateTimeOffset now)
    {
        if (_waiting.TryAdd(p, now)) Interlocked.Increment(ref _diskFullEvents);
        RequestCheck();
    }

    public void LeaveDiskFull(PartitionWriter p) => _waiting.TryRemove(p, out _);

    /// <summary>Retention or eviction freed space: wake every flusher waiting for it.</summary>
    public void SpaceFreed()
    {
        Interlocked.Increment(ref _spaceFreed);
        foreach (var p in _waiting.Keys) p.WakeForSpace();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
