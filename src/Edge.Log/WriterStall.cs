namespace Edge.Log;

/// <summary>A partition writer that is not making progress (<see cref="EdgeLog.FindStalledWriter"/>).</summary>
/// <param name="Topic">The partition's topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="For">How long it has made no progress (<see cref="TimeSpan.MaxValue"/> once it stopped for good).</param>
/// <param name="What">What it is stuck on, for the journal.</param>
public sealed record WriterStall(string Topic, int Partition, TimeSpan For, string What);
