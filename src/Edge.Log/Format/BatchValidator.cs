using System.Buffers.Binary;

namespace Edge.Log.Format;

/// <summary>Judges bytes as a batch (FORMAT.md §4.3). The magic, version, attributes and length never move between versions.</summary>
internal static class BatchValidator
{
    /// <summary>Checks a header given the bytes left in the file from its start.</summary>
    public static BatchStatus CheckHeader(ReadOnlySpan<byte> header, long bytesLeft, int maxBatchBytes, out BatchHeader parsed, out string reason)
    {
        parsed = default;
        reason = "";
        if (bytesLeft <= 0) return BatchStatus.End;
        int visible = (int)Math.Min(header.Length, bytesLeft);
        if (header[..visible].IndexOfAnyExcept((byte)0) < 0) return BatchStatus.End;
        if (header[0] != BatchHeader.Magic)
        {
            reason = $"bad magic 0x{header[0]:X2} (expected 0x{BatchHeader.Magic:X2})";
            return BatchStatus.Corrupt;
        }
        if (bytesLeft < BatchHeader.Size)
        {
            reason = $"only {bytesLeft} of a {BatchHeader.Size}-byte header present";
            return BatchStatus.Truncated;
        }
        parsed = BatchHeader.Read(header);
        if (parsed.Length < BatchHeader.Overhead || parsed.Length > maxBatchBytes)
        {
            reason = $"batch length {parsed.Length} outside [{BatchHeader.Overhead}, {maxBatchBytes}]";
            return BatchStatus.Corrupt;
        }
        if (parsed.Length > bytesLeft)
        {
            reason = $"batch of {parsed.Length} bytes but only {bytesLeft} present";
            return BatchStatus.Truncated;
        }
        return BatchStatus.Valid;
    }

    /// <summary>Checks a whole batch (header already accepted by <see cref="CheckHeader"/>).</summary>
    public static BatchStatus CheckBody(ReadOnlySpan<byte> batch, in BatchHeader header, out string reason)
    {
        reason = "";
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(batch[(header.Length - BatchHeader.TrailerSize)..]);
        uint actual = Crc32C.Compute(batch[..(header.Length - BatchHeader.TrailerSize)]);
        if (stored != actual)
        {
            reason = $"CRC32C mismatch (stored 0x{stored:X8}, computed 0x{actual:X8})";
            return BatchStatus.Corrupt;
        }
        if (header.Version != BatchHeader.CurrentVersion)
        {
            reason = $"format version {header.Version}";
            return BatchStatus.UnsupportedVersion;
        }
        if (header.Attributes != 0 || header.RecordCount < 1 || header.LastOffsetDelta < header.RecordCount - 1 || header.BaseOffset < 0)
        {
            reason = $"inconsistent header (attributes {header.Attributes}, records {header.RecordCount}, last delta {header.LastOffsetDelta})";
            return BatchStatus.Corrupt;
        }
        return BatchStatus.Valid;
    }
}
