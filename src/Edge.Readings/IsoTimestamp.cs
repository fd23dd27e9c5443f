namespace Edge.Readings;

/// <summary>
/// Writes a UTC time as <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c> (READINGS.md §2) in ASCII without the general
/// formatter, which was the largest single cost of writing a reading as JSON.
/// </summary>
internal static class IsoTimestamp
{
    public const int Length = 28;

    public static void Write(DateTime utc, Span<byte> dst)
    {
        Digits(dst[..4], utc.Year);
        dst[4] = (byte)'-';
        Digits(dst.Slice(5, 2), utc.Month);
        dst[7] = (byte)'-';
        Digits(dst.Slice(8, 2), utc.Day);
        dst[10] = (byte)'T';
        Digits(dst.Slice(11, 2), utc.Hour);
        dst[13] = (byte)':';
        Digits(dst.Slice(14, 2), utc.Minute);
        dst[16] = (byte)':';
        Digits(dst.Slice(17, 2), utc.Second);
        dst[19] = (byte)'.';
        Digits(dst.Slice(20, 7), (int)(utc.Ticks % TimeSpan.TicksPerSecond));
        dst[27] = (byte)'Z';
    }

    // Right-aligned, zero-padded to the span's width.
    private static void Digits(Span<byte> dst, int value)
    {
        for (int i = dst.Length - 1; i >= 0; i--)
        {
            dst[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
