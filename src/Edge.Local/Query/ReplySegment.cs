using System.Buffers;

namespace Edge.Local.Query;

/// <summary>One chunk of a reply built by <see cref="ReplyChunks"/>.</summary>
internal sealed class ReplySegment : ReadOnlySequenceSegment<byte>
{
    public ReplySegment(byte[] chunk, long runningIndex)
    {
        Memory = chunk;
        RunningIndex = runningIndex;
    }

    public ReplySegment Append(byte[] chunk)
    {
        var next = new ReplySegment(chunk, RunningIndex + Memory.Length);
        Next = next;
        return next;
    }
}
