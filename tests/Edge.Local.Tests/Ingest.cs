using Edge.Readings;

namespace Edge.Local.Tests;

/// <summary>Documented JSON readings as a remote node publishes them.</summary>
public static class Ingest
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    public static Reading Reading(string sensor, long seq, string kind = ReadingKinds.HeartRate) =>
        new(sensor, kind, T0.AddSeconds(seq), [new ReadingValue("bpm", 70 + seq % 10, "/min")], ReadingQuality.Ok, seq);

    public static byte[] Valid(string sensor, long seq, string kind = ReadingKinds.HeartRate) => ReadingJsonCodec.EncodeUtf8(Reading(sensor, seq, kind));
}
