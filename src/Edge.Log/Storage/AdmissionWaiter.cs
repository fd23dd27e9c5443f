namespace Edge.Log.Storage;

/// <summary>An append waiting for admission to its partition's open group (<see cref="AppendQueue"/>).</summary>
internal sealed class AdmissionWaiter(Record record, int size, long waitTicks)
{
    public Record Record { get; } = record;

    public int Size { get; } = size;

    public long WaitTicks { get; } = waitTicks;

    public LinkedListNode<AdmissionWaiter>? Node { get; set; }

    public TaskCompletionSource<ValueTask<RecordPosition>> Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
