using System.Text;
using Edge.Log;

namespace Edge.Readings;

/// <summary>
/// How a reading is stored as a log record (READINGS.md §1), for every producer — the sensor pipeline and ingest — and
/// every consumer that reads it back: the value is the binary form, the key is the sensor id in UTF-8 (so one sensor
/// stays in one partition, in order) and the timestamp is the reading's, in Unix milliseconds. Thread-safe (stateless).
/// </summary>
public static class ReadingRecord
{
    /// <summary>The record key of a sensor's readings; a producer of many readings may compute it once and pass it to <see cref="From(Reading, byte[])"/>.</summary>
    public static byte[] Key(string sensorId) => Encoding.UTF8.GetBytes(sensorId);

    /// <summary>The record of <paramref name="reading"/>.</summary>
    public static Record From(Reading reading) => From(reading, Key(reading.SensorId));

    /// <summary>The record of <paramref name="reading"/> under <paramref name="key"/>, which must be <see cref="Key"/> of its sensor id.</summary>
    public static Record From(Reading reading, byte[] key) =>
        new(key, ReadingBinaryCodec.Encode(reading), reading.Timestamp.ToUnixTimeMilliseconds());

    /// <summary>
    /// The reading stored in <paramref name="record"/>, or null for a tombstone; throws <see cref="ReadingFormatException"/>
    /// naming the field when the stored bytes are not a reading.
    /// </summary>
    public static Reading? ToReading(in LogRecord record) => record.Value is { } value ? ReadingBinaryCodec.Decode(value.Span) : null;
}
