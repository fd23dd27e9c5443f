namespace Edge.Log.Storage;

/// <summary>
/// In-memory form of a segment's offset and time indexes (FORMAT.md §5): one entry per ~IndexIntervalBytes of log,
/// each naming a batch start (relative offset, byte position) and the largest timestamp up to and including that batch.
/// Entries are appended by the single writer; readers see a consistent prefix through <see cref="Count"/>.
/// </summary>
internal sealed class SparseIndex
{
    private int[] _relOffsets = new int[64];
    private int[] _positions = new int[64];
    private long[] _maxTimestamps = new long[64];
    private volatile int _count;

    public int Count => _count;

    public int RelOffsetAt(int i) => _relOffsets[i];

    public int PositionAt(int i) => _positions[i];

    public long MaxTimestampAt(int i) => _maxTimestamps[i];

    public void Add(int relOffset, int position, long maxTimestamp)
    {
        int n = _count;
        if (n == _relOffsets.Length)
        {
            // Grow into new arrays, then publish them: a concurrent reader sees either the old or the new arrays, both valid for its count.
            Array.Resize(ref _relOffsets, n * 2);
            Array.Resize(ref _positions, n * 2);
            Array.Resize(ref _maxTimestamps, n * 2);
        }
        _relOffsets[n] = relOffset;
        _positions[n] = position;
        _maxTimestamps[n] = maxTimestamp;
        _count = n + 1;
    }

    /// <summary>Drops entries at or beyond <paramref name="position"/> (after a tail truncation).</summary>
    public void TruncateAtPosition(long position)
    {
        int n = _count;
        while (n > 0 && _positions[n - 1] >= position) n--;
        _count = n;
    }

    /// <summary>Byte position of the last indexed batch whose base offset ≤ <paramref name="relOffset"/>, or 0.</summary>
    public int FloorPosition(long relOffset)
    {
        int lo = 0, hi = _count - 1, best = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_relOffsets[mid] <= relOffset) { best = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return best < 0 ? 0 : _positions[best];
    }

    /// <summary>
    /// Byte position to start a scan for the first record with timestamp ≥ <paramref name="timestamp"/>: the last
    /// entry whose max timestamp is below it proves nothing earlier qualifies.
    /// </summary>
    public int TimestampScanStart(long timestamp)
    {
        int lo = 0, hi = _count - 1, best = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_maxTimestamps[mid] < timestamp) { best = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return best < 0 ? 0 : _positions[best];
    }
}
