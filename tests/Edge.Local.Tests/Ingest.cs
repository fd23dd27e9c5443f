using Edge.Readings;

namespace Edge.Local.Tests;

/// <summary>Documented JSON readings as a remote node publishes them.</summary>
public static class Ingest
{
    // A day before the test runs, to the second: well inside Ingest:MaxPastSkew and never in the future, whenever CI runs.
    public static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 86_400);

    public static Reading Reading(string sensor, long seq, string kind = ReadingKinds.HeartRate) =>
        new(sensor, kind, T0.AddSeconds(seq), [new ReadingValue("bpm", 70 + seq % 10, "/min")], ReadingQuality.Ok, seq);

    public static byte[] Valid(string sensor, long seq, string kind = ReadingKinds.HeartRate) => ReadingJsonCodec.EncodeUtf8(Reading(sensor, seq, kind));
}
