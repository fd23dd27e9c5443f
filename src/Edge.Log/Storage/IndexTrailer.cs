namespace Edge.Log.Storage;

/// <summary>
/// What a sealed (or cleanly closed) segment's index trailer records about its log file (FORMAT.md §5.3):
/// with it, opening a log needs no scan of that segment.
/// </summary>
internal readonly record struct IndexTrailer(long SegmentLength, long NextOffset, long MaxTimestamp);
