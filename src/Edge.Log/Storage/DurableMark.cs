namespace Edge.Log.Storage;

/// <summary>
/// The durable end of a partition, published atomically by the flusher: readers never read past
/// <see cref="Size"/> bytes of <see cref="Segment"/> nor at or above <see cref="HighWatermark"/>.
/// </summary>
internal sealed record DurableMark(Segment Segment, long Size, long HighWatermark);
