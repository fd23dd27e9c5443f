using System.Buffers;
using Edge.Log.Format;
using Edge.Log.IO;

namespace Edge.Log.Storage;

/// <summary>
/// Walks the batches of a segment file from a known batch boundary, verifying each checksum (FORMAT.md §9).
/// Stops at the first byte that is not a valid batch whose offsets continue the ones before it.
/// </summary>
internal static class SegmentScanner
{
    public const int ChunkSize = 1 << 20;

    public delegate void BatchVisitor(in BatchHeader header, long position);

    public static ScanResult Scan(ILogFile file, long start, long end, long nextOffset, long maxTimestamp, BatchVisitor? visit)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long bufStart = 0;
            int bufLen = 0;
            long pos = start;
            int batches = 0;
            while (true)
            {
                long left = end - pos;
                if (left <= 0) return new ScanResult(pos, nextOffset, maxTimestamp, BatchStatus.End, "", batches);
                int headerBytes = (int)Math.Min(BatchHeader.Size, left);
                if (pos < bufStart || pos + headerBytes > bufStart + bufLen)
                    Fill(file, ref buffer, pos, (int)Math.Min(Math.Max(ChunkSize, headerBytes), left), ref bufStart, ref bufLen);
                var headerSpan = buffer.AsSpan((int)(pos - bufStart), Math.Min(BatchHeader.Size, (int)(bufStart + bufLen - pos)));
                var status = BatchValidator.CheckHeader(headerSpan, left, FormatLimits.MaxBatchBytes, out var header, out string reason);
                if (status != BatchStatus.Valid) return new ScanResult(pos, nextOffset, maxTimestamp, status, reason, batches);
                if (pos + header.Length > bufStart + bufLen)
                    Fill(file, ref buffer, pos, (int)Math.Min(Math.Max(ChunkSize, header.Length), left), ref bufStart, ref bufLen);
                var batch = buffer.AsSpan((int)(pos - bufStart), header.Length);
                status = BatchValidator.CheckBody(batch, header, out reason);
                if (status == BatchStatus.Valid && header.BaseOffset < nextOffset)
                {
                    status = BatchStatus.Corrupt;
                    reason = $"batch base offset {header.BaseOffset} is below the expected {nextOffset}";
                }
                if (status != BatchStatus.Valid) return new ScanResult(pos, nextOffset, maxTimestamp, status, reason, batches);
                visit?.Invoke(header, pos);
                nextOffset = header.NextOffset;
                maxTimestamp = Math.Max(maxTimestamp, header.MaxTimestamp);
                pos += header.Length;
                batches++;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Fill(ILogFile file, ref byte[] buffer, long pos, int size, ref long bufStart, ref int bufLen)
    {
        if (buffer.Length < size)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(size);
        }
        bufStart = pos;
        bufLen = file.Read(buffer.AsSpan(0, size), pos);
    }
}
