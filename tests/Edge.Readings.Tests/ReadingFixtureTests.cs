using System.Runtime.CompilerServices;

namespace Edge.Readings.Tests;

/// <summary>
/// The binary reading form (READINGS.md §1) pinned by checked-in bytes: every log on disk holds readings in this form,
/// so an encoder and decoder that changed together (and still round-trip) would leave those logs unreadable.
/// Fixtures/README.md says how the fixture was made.
/// </summary>
public class ReadingFixtureTests
{
    /// <summary>The fixture's readings: a heart rate (the example of READINGS.md §2) and one with every field awkward.</summary>
    internal static readonly Reading[] Readings =
    [
        new("hr-bed1", ReadingKinds.HeartRate, new DateTimeOffset(2026, 11, 25, 4, 40, 0, TimeSpan.Zero).AddTicks(1_230_000), [new("bpm", 68, "bpm")], ReadingQuality.Simulated, 42),
        new("loop-lane1", ReadingKinds.TrafficOccupancy, new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero).AddTicks(1), [new("count", 3, "{vehicle}"), new("occupancy", -0.0, "%"), new("tiny", double.Epsilon, "")],
            ReadingQuality.Degraded, 300),
        new("x", "environment", DateTimeOffset.UnixEpoch, [], ReadingQuality.Ok, 0),
    ];

    [Fact]
    public void Each_fixture_reading_decodes_to_the_documented_reading()
    {
        var lines = FixtureLines();
        Assert.Equal(Readings.Length, lines.Count);
        for (int i = 0; i < Readings.Length; i++)
        {
            var decoded = ReadingBinaryCodec.Decode(lines[i]);
            Assert.Equal(Readings[i], decoded);
            Assert.Equal(Readings[i].Values.Select(v => BitConverter.DoubleToInt64Bits(v.Value)), decoded.Values.Select(v => BitConverter.DoubleToInt64Bits(v.Value)));
        }
        Assert.Equal(55, lines[0].Length); // READINGS.md §1: "A heart-rate reading of sensor `hr-bed1` ... takes 55 bytes"
    }

    [Fact]
    public void The_encoder_writes_the_fixture_bytes()
    {
        var lines = FixtureLines();
        for (int i = 0; i < Readings.Length; i++)
        {
            byte[] encoded = ReadingBinaryCodec.Encode(Readings[i]);
            Assert.True(lines[i].AsSpan().SequenceEqual(encoded),
                $"reading {i}: the binary form changed (a format version change: see Fixtures/README.md)\nfixture {Convert.ToHexString(lines[i]).ToLowerInvariant()}\nencoder {Convert.ToHexString(encoded).ToLowerInvariant()}");
        }
    }

    /// <summary>One reading per line of Fixtures/readings-v1.hex; '#' lines are comments.</summary>
    private static List<byte[]> FixtureLines([CallerFilePath] string source = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(source)!, "Fixtures", "readings-v1.hex");
        Assert.True(File.Exists(path), $"fixture {path} is missing");
        return [.. File.ReadAllLines(path).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).Select(l => Convert.FromHexString(l.Trim()))];
    }
}
