namespace Edge.Local.Query;

/// <summary>
/// What <see cref="ReadingScanner.Latest"/> found, oldest first. <see cref="Partial"/>: the scan budget ran out before
/// n readings were found and before the start of the partition, so older readings of the sensor may exist.
/// <see cref="MostHeld"/> is the most readings held at once while scanning (at most n).
/// </summary>
public sealed record LatestResult(List<FoundReading> Readings, bool Partial, int MostHeld);
