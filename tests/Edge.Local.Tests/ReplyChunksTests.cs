using System.Buffers;
using Edge.Local.Query;

namespace Edge.Local.Tests;

public class ReplyChunksTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(ReplyChunks.ChunkBytes)]
    [InlineData(ReplyChunks.ChunkBytes + 1)]
    [InlineData(300_000)]
    public void A_reply_is_copied_exactly_into_chunks_that_stay_off_the_large_object_heap(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var sequence = ReplyChunks.Copy(data);
        Assert.Equal(data, sequence.ToArray());
        int segments = 0;
        foreach (var segment in sequence)
        {
            Assert.True(segment.Length < 85_000, $"a {segment.Length}-byte chunk would be a large object");
            segments++;
        }
        Assert.Equal(Math.Max(1, (length + ReplyChunks.ChunkBytes - 1) / ReplyChunks.ChunkBytes), segments);
    }
}
