using Edge.Log;
using Edge.Readings;
using Edge.Uplink.Payload;

namespace Edge.Uplink.Tests;

/// <summary>
/// Every encoder checks each stored record before it writes it (UPLINK.md §7): a record that is not a reading ends the
/// message before it, and alone it makes no message, so the forwarder can park exactly that record.
/// </summary>
public class UndecodableRecordTests
{
    public static TheoryData<PayloadFormat> Formats() => [.. Enum.GetValues<PayloadFormat>()];

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_record_that_is_not_a_reading_ends_the_batch_before_it_and_is_refused_alone(PayloadFormat format)
    {
        var at = new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
        byte[] good = ReadingBinaryCodec.Encode(new Reading("mag-1", ReadingKinds.TrafficVehicle, at, [new ReadingValue("speed", 47.5, "km/h")], ReadingQuality.Ok, 1));
        byte[] bad = [.. good];
        bad[^1] = 0xFF; // the value becomes a NaN: not a reading (READINGS.md: finite numbers only)
        bad[^2] = 0xFF;
        var records = new List<LogRecord> { new(0, 7, 0, null, good, []), new(0, 8, 0, null, bad, []), new(0, 9, 0, null, good, []) };
        var encoder = PayloadEncoder.Create(new UplinkOptions { Format = format }, "gw");

        int index = 0;
        var message = encoder.EncodeNext("traffic", records, ref index, 500);
        Assert.Equal((7L, 7L, 1), (message!.First, message.Last, index));
        Assert.Null(encoder.EncodeNext("traffic", records, ref index, 500));
        Assert.Equal(1, index);
    }
}
