using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Edge.Readings.Tests;

/// <summary>
/// The JSON writer formats times and whole numbers by hand for speed; its text must stay exactly what the general
/// formatters (DateTime "yyyy-MM-ddTHH:mm:ss.fffffffZ", Utf8JsonWriter's double) produce.
/// </summary>
public class ReadingJsonTextTests
{
    [Fact]
    public void Timestamps_are_written_exactly_as_the_general_formatter_writes_them()
    {
        var random = new Random(3);
        var times = new List<DateTimeOffset> { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch, new(2026, 12, 31, 23, 59, 59, TimeSpan.Zero) };
        for (int i = 0; i < 20_000; i++) times.Add(new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero));
        foreach (var t in times)
        {
            using var doc = JsonDocument.Parse(ReadingJsonCodec.EncodeUtf8(new Reading("s", "k", t, [])));
            Assert.Equal(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture), doc.RootElement.GetProperty("ts").GetString());
        }
    }

    [Fact]
    public void Values_are_written_exactly_as_Utf8JsonWriter_writes_a_double()
    {
        var random = new Random(4);
        var values = new List<double> { 0, -0.0, 1, -1, 68, 99.5, 1e15 - 1, 1e15, -1e15, 1e15 + 2, 1e16, 9007199254740993, 123456789012345.6, double.MaxValue, double.Epsilon, long.MaxValue, long.MinValue };
        for (int i = 0; i < 20_000; i++)
        {
            values.Add(random.Next(3) switch
            {
                0 => Math.Round(random.NextDouble() * Math.Pow(10, random.Next(0, 20))) * (random.Next(2) == 0 ? 1 : -1),
                1 => random.Next(-1000, 1000),
                _ => BitConverter.Int64BitsToDouble(random.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF),
            });
        }
        foreach (double v in values)
        {
            string json = Encoding.UTF8.GetString(ReadingJsonCodec.EncodeUtf8(new Reading("s", "k", DateTimeOffset.UnixEpoch, [new ReadingValue("v", v, "")])));
            Assert.Contains($"\"value\":{Expected(v)},", json);
        }
    }

    private static string Expected(double v)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) w.WriteNumberValue(v);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
