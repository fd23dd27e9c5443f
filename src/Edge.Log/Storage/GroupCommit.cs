using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Edge.Log.Storage;

/// <summary>
/// The completion shared by every record of one group commit. Each append gets a <see cref="ValueTask{T}"/> over
/// this source whose token is the record's index in the group, so a group of 1,000 records costs one allocation,
/// not 1,000. Continuations run on the thread pool, never on the flusher thread.
/// </summary>
internal sealed class GroupCommit : IValueTaskSource<RecordPosition>
{
    public const int MaxRecords = short.MaxValue;

    private readonly object _lock = new();
    private List<(Action<object?> Continuation, object? State, ExecutionContext? Context)>? _continuations;
    private int _state; // 0 pending, 1 succeeded, 2 failed
    private ExceptionDispatchInfo? _error;

    public GroupCommit(int partition, long baseOffset)
    {
        Partition = partition;
        BaseOffset = baseOffset;
    }

    public int Partition { get; }

    public long BaseOffset { get; }

    public bool IsCompleted => Volatile.Read(ref _state) != 0;

    public ValueTask<RecordPosition> ForRecord(int index) => new(this, (short)index);

    public void Succeed() => Complete(1, null);

    public void Fail(Exception error) => Complete(2, ExceptionDispatchInfo.Capture(error));

    public ValueTaskSourceStatus GetStatus(short token) => Volatile.Read(ref _state) switch
    {
        0 => ValueTaskSourceStatus.Pending,
        1 => ValueTaskSourceStatus.Succeeded,
        _ => ValueTaskSourceStatus.Faulted,
    };

    public RecordPosition GetResult(short token)
    {
        int state = Volatile.Read(ref _state);
        if (state == 1) return new RecordPosition(Partition, BaseOffset + token);
        if (state == 2) _error!.Throw();
        throw new InvalidOperationException("the append has not completed; await the ValueTask instead of reading its result");
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        var context = (flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0 ? ExecutionContext.Capture() : null;
        lock (_lock)
        {
            if (_state == 0)
            {
                (_continuations ??= []).Add((continuation, state, context));
                return;
            }
        }
        Schedule(continuation, state, context);
    }

    private void Complete(int state, ExceptionDispatchInfo? error)
    {
        List<(Action<object?>, object?, ExecutionContext?)>? continuations;
        lock (_lock)
        {
            if (_state != 0) return;
            _error = error;
            Volatile.Write(ref _state, state);
            continuations = _continuations;
            _continuations = null;
        }
        if (continuations is null) return;
        foreach (var (c, s, ctx) in continuations) Schedule(c, s, ctx);
    }

    private static void Schedule(Action<object?> continuation, object? state, ExecutionContext? context)
    {
        if (context is null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: false);
            return;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static s =>
        {
            var (c, st, ctx) = s;
            ExecutionContext.Run(ctx, x => c(x), st);
        }, (continuation, state, context), preferLocal: false);
    }
}
