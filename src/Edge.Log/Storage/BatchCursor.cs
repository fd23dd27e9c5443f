using System.Buffers;
using Edge.Log.Format;

namespace Edge.Log.Storage;

/// <summary>
/// Iterates the verified batches of a segment between a batch boundary and a byte limit, reading in chunks.
/// Anything that is not a valid batch below the limit is corruption and throws a typed error.
/// By default returned batch memory belongs to the caller (chunks are never reused), so decoded records may slice
/// it. With <c>reuseBuffer</c> one pooled chunk is read into over and over: a batch is valid only until the next
/// <see cref="TryNext"/>, and nothing is allocated per chunk (scans; dispose to return the chunk to the pool).
/// </summary>
internal sealed class BatchCursor(Segment segment, long position, long limit, int chunkSize, bool reuseBuffer = false) : IDisposable
{
    private byte[] _buffer = [];
    private long _bufferStart;
    private int _bufferLength;

    public long Position { get; private set; } = position;

    public bool TryNext(out ReadOnlyMemory<byte> batch, out BatchHeader header)
    {
        batch = default;
        header = default;
        // Bytes found corrupt and stepped over (FORMAT.md §7.5) are not read again.
        for (long end; !segment.Quarantine.IsEmpty && (end = segment.Quarantine.EndOf(Position)) > Position;) Position = end;
        if (Position >= limit) return false;
        int headerBytes = (int)Math.Min(BatchHeader.Size, limit - Position);
        Ensure(headerBytes);
        var headerSpan = _buffer.AsSpan((int)(Position - _bufferStart), headerBytes);
        var status = BatchValidator.CheckHeader(headerSpan, limit - Position, FormatLimits.MaxBatchBytes, out header, out string reason);
        if (status != BatchStatus.Valid)
            throw new CorruptRecordException(segment.LogPath, Position, status == BatchStatus.End ? "zero bytes inside durable data" : reason);
        Ensure(header.Length);
        batch = _buffer.AsMemory((int)(Position - _bufferStart), header.Length);
        status = BatchValidator.CheckBody(batch.Span, header, out reason);
        if (status == BatchStatus.UnsupportedVersion)
            throw new UnsupportedFormatVersionException(segment.LogPath, Position, header.Version, BatchHeader.CurrentVersion);
        if (status != BatchStatus.Valid) throw new CorruptRecordException(segment.LogPath, Position, reason);
        Position += header.Length;
        return true;
    }

    public void Dispose()
    {
        if (reuseBuffer && _buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Ensure(int need)
    {
        if (Position >= _bufferStart && Position + need <= _bufferStart + _bufferLength) return;
        int size = (int)Math.Min(Math.Max(chunkSize, need), limit - Position);
        if (!reuseBuffer) _buffer = new byte[size];
        else if (_buffer.Length < size)
        {
            // A rented array may be longer than asked: only [0, size) is read into and used.
            Dispose();
            _buffer = ArrayPool<byte>.Shared.Rent(size);
        }
        _bufferStart = Position;
        _bufferLength = segment.File.Read(_buffer.AsSpan(0, size), Position);
        if (_bufferLength < need)
            throw new CorruptRecordException(segment.LogPath, Position, $"needed {need} bytes but the file ends after {_bufferLength}");
    }
}
