namespace Edge.Local.Query;

public sealed record LatestResult(List<FoundReading> Readings, bool Partial, int MostHeld);
