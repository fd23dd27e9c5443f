using System.Buffers;
using System.Text.Json;

namespace Edge.Readings.Tests;

/// <summary>The uplink's no-decode path: checking and writing stored readings must agree with the codecs byte for byte.</summary>
public class StoredReadingTests
{
    // Units with every character JSON's default encoder escapes, so the raw writer's escaping is exercised.
    private static readonly string[] Units = ["bpm", "%", "Cel", "km/h", "{vehicle}", "", "a+b", "<&>", "\"q\"", "back\\sl", "it's", "`x`"];

    private static Reading RandomReading(Random random)
    {
        var values = Enumerable.Range(0, random.Next(0, 6)).Select(i => new ReadingValue(
            $"v{i}_{random.Next(100)}",
            random.Next(5) switch
            {
                0 => random.NextDouble() * 1e6 - 5e5,
                1 => BitConverter.Int64BitsToDouble(random.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF) * (random.Next(2) == 0 ? 1 : -1),
                2 => -0.0,
                3 => random.Next(-3, 3) * Math.Pow(10, random.Next(-20, 22)),
                _ => random.Next(200),
            },
            Units[random.Next(Units.Length)])).ToList();
        return new Reading($"sensor-{random.Next(1000)}.A_b", random.Next(2) == 0 ? ReadingKinds.HeartRate : "traffic.vehicle",
            new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero),
            values, (ReadingQuality)random.Next(3), random.NextInt64(0, long.MaxValue) >> random.Next(63));
    }

    private static bool Decodes(byte[] bytes)
    {
        try
        {
            ReadingBinaryCodec.Decode(bytes);
            return true;
        }
        catch (ReadingFormatException)
        {
            return false;
        }
    }

    [Fact]
    public void IsValid_accepts_exactly_the_bytes_Decode_accepts()
    {
        var random = new Random(7);
        int rejected = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = ReadingBinaryCodec.Encode(RandomReading(random));
            Assert.True(StoredReading.IsValid(bytes));
            // One mutation: a flipped bit, a byte set to a boundary value, a truncation or a trailing byte.
            switch (random.Next(4))
            {
                case 0: bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[random.Next(bytes.Length)] = (byte)(random.Next(6) switch { 0 => 0, 1 => 0xFF, 2 => '.', 3 => '-', 4 => ' ', _ => 0x80 }); break;
                case 2: bytes = bytes[..random.Next(bytes.Length)]; break;
                default: bytes = [.. bytes, (byte)random.Next(256)]; break;
            }
            bool decodes = Decodes(bytes);
            Assert.True(decodes == StoredReading.IsValid(bytes), $"Decode {(decodes ? "accepts" : "refuses")} {Convert.ToHexString(bytes)} but IsValid disagrees");
            if (!decodes) rejected++;
        }
        Assert.True(rejected > 5_000, $"only {rejected} mutations were invalid: the mutations do not exercise the rules");
    }

    [Fact]
    public void Duplicate_value_names_and_non_finite_values_are_invalid_as_Decode_says()
    {
        byte[] bytes = ReadingBinaryCodec.Encode(new Reading("s1", "environment", DateTimeOffset.UnixEpoch, [new ReadingValue("a", 1, "x"), new ReadingValue("b", 2, "x")], ReadingQuality.Ok, 1));
        bytes[^11] = (byte)'a'; // the second name ("b", then its unit and value) becomes "a"
        Assert.False(Decodes(bytes));
        Assert.False(StoredReading.IsValid(bytes));
        bytes[^11] = (byte)'b';
        BitConverter.GetBytes(double.NaN).CopyTo(bytes, bytes.Length - 8);
        Assert.False(Decodes(bytes));
        Assert.False(StoredReading.IsValid(bytes));
    }

    [Fact]
    public void Json_written_from_stored_bytes_equals_the_codecs_json()
    {
        var random = new Random(13);
        var raw = new ArrayBufferWriter<byte>();
        var viaWriter = new ArrayBufferWriter<byte>();
        using var w = new Utf8JsonWriter(viaWriter);
        for (int i = 0; i < 20_000; i++)
        {
            var r = RandomReading(random);
            byte[] stored = ReadingBinaryCodec.Encode(r);
            byte[] expected = ReadingJsonCodec.EncodeUtf8(r);
            raw.ResetWrittenCount();
            StoredReading.AppendJson(raw, stored);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(raw.WrittenSpan));
            viaWriter.ResetWrittenCount();
            w.Reset(viaWriter);
            StoredReading.WriteJson(w, stored);
            w.Flush();
            Assert.Equal(expected, viaWriter.WrittenSpan.ToArray());
            Assert.Equal(r, ReadingJsonCodec.Decode(expected));
        }
    }
}
