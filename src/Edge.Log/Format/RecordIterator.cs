namespace Edge.Log.Format;

/// <summary>
/// Walks the records of a checksum-verified batch without allocating, validating each record's framing (FORMAT.md
/// §4.2) as it goes; fields are positions in the batch so callers can slice spans or memory. The single record
/// parser of the log: <see cref="RecordDecoder"/> builds <see cref="LogRecord"/>s on it, scans visit spans.
/// </summary>
internal ref struct RecordIterator
{
    private readonly ReadOnlySpan<byte> _span;
    private readonly BatchHeader _header;
    private readonly int _end;
    private readonly string _file;
    private readonly long _filePosition;
    private int _pos;
    private int _index;

    public RecordIterator(ReadOnlySpan<byte> batch, in BatchHeader header, string file, long filePosition)
    {
        _span = batch;
        _header = header;
        _end = header.Length - BatchHeader.TrailerSize;
        _file = file;
        _filePosition = filePosition;
        _pos = BatchHeader.Size;
    }

    public long Offset { get; private set; }

    public long Timestamp { get; private set; }

    /// <summary>Start of the key in the batch; <see cref="KeyLength"/> is -1 for a null key.</summary>
    public int KeyStart { get; private set; }

    public int KeyLength { get; private set; }

    /// <summary>Start of the value in the batch; <see cref="ValueLength"/> is -1 for a tombstone.</summary>
    public int ValueStart { get; private set; }

    public int ValueLength { get; private set; }

    /// <summary>Where the record's headers start (see <see cref="ReadHeader"/>), and how many there are.</summary>
    public int HeadersStart { get; private set; }

    public int HeaderCount { get; private set; }

    /// <summary>End of the current record's body (headers end here).</summary>
    public int BodyEnd { get; private set; }

    /// <summary>The current record as spans over the batch.</summary>
    public readonly RecordView View => new(Offset, Timestamp,
        KeyLength >= 0, KeyLength >= 0 ? _span.Slice(KeyStart, KeyLength) : default,
        ValueLength >= 0, ValueLength >= 0 ? _span.Slice(ValueStart, ValueLength) : default);

    /// <summary>Advances to the next record; false after the last one (having checked nothing follows it).</summary>
    public bool MoveNext()
    {
        int i = _index;
        if (i == _header.RecordCount)
        {
            if (_pos != _end) throw Corrupt(i, "bytes after the last record");
            return false;
        }
        int pos = _pos;
        if (!VarInt.TryRead(_span[.._end], ref pos, out ulong bodyLen) || bodyLen > (ulong)(_end - pos))
            throw Corrupt(i, "record length");
        int bodyEnd = pos + (int)bodyLen;
        ReadOnlySpan<byte> body = _span[..bodyEnd];
        if (!VarInt.TryRead(body, ref pos, out ulong offsetDelta) || !VarInt.TryRead(body, ref pos, out ulong tsZig))
            throw Corrupt(i, "offset or timestamp delta");
        Offset = _header.BaseOffset + (long)offsetDelta;
        Timestamp = _header.FirstTimestamp + VarInt.UnZigZag(tsZig);
        if (!TryReadBytes(body, ref pos, out int keyStart, out int keyLength)) throw Corrupt(i, "key");
        if (!TryReadBytes(body, ref pos, out int valueStart, out int valueLength)) throw Corrupt(i, "value");
        if (!VarInt.TryRead(body, ref pos, out ulong headerCount) || headerCount > (ulong)(bodyEnd - pos))
            throw Corrupt(i, "header count");
        (KeyStart, KeyLength, ValueStart, ValueLength, HeadersStart, HeaderCount, BodyEnd) = (keyStart, keyLength, valueStart, valueLength, pos, (int)headerCount, bodyEnd);
        for (int h = 0; h < HeaderCount; h++)
            if (TryReadHeader(body, ref pos, out _, out _, out _, out _) is { } bad) throw Corrupt(i, bad);
        if (pos != bodyEnd) throw Corrupt(i, "record length does not match its fields");
        _pos = pos;
        _index = i + 1;
        return true;
    }

    /// <summary>Reads the header at <paramref name="pos"/> of a record already validated by <see cref="MoveNext"/>.</summary>
    public readonly void ReadHeader(ref int pos, out int nameStart, out int nameLength, out int valueStart, out int valueLength)
    {
        if (TryReadHeader(_span[..BodyEnd], ref pos, out nameStart, out nameLength, out valueStart, out valueLength) is { } bad)
            throw Corrupt(_index - 1, bad);
    }

    // Null when the header is well formed, else which part is not.
    private static string? TryReadHeader(ReadOnlySpan<byte> body, ref int pos, out int nameStart, out int nameLength, out int valueStart, out int valueLength)
    {
        valueStart = valueLength = 0;
        nameStart = pos;
        nameLength = 0;
        if (!VarInt.TryRead(body, ref pos, out ulong keyLen) || keyLen > (ulong)(body.Length - pos)) return "header name";
        (nameStart, nameLength) = (pos, (int)keyLen);
        pos += (int)keyLen;
        return TryReadBytes(body, ref pos, out valueStart, out valueLength) ? null : "header value";
    }

    // A nullable byte string: varint length + 1 (0 = null), then the bytes. Length -1 stands for null.
    private static bool TryReadBytes(ReadOnlySpan<byte> body, ref int pos, out int start, out int length)
    {
        start = pos;
        length = -1;
        if (!VarInt.TryRead(body, ref pos, out ulong lenPlusOne)) return false;
        start = pos;
        if (lenPlusOne == 0) return true;
        ulong len = lenPlusOne - 1;
        if (len > (ulong)(body.Length - pos)) return false;
        length = (int)len;
        pos += length;
        return true;
    }

    private readonly CorruptRecordException Corrupt(int index, string what) =>
        new(_file, _filePosition, $"record #{index}: malformed {what}");
}
