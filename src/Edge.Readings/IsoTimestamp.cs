using System.Runtime.CompilerServices;

namespace Edge.Readings;

/// <summary>
/// Writes a UTC time as <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c> (READINGS.md §2) in ASCII without the general
/// formatter, which was the largest single cost of writing a reading as JSON.
/// </summary>
internal static class IsoTimestamp
{
    public const int Length = 28;

    // The date, hour and minute ("yyyy-MM-ddTHH:mm:") of the last time written on this thread: readings come in time
    // order, so a batch of thousands shares a few minutes, and formatting them again was most of the cost.
    [ThreadStatic] private static byte[]? t_minutePrefix;
    [ThreadStatic] private static long t_minute;

    // Compiled optimized at once, as StoredReading's loops are: a backlog drain writes millions within seconds of start.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(DateTime utc, Span<byte> dst)
    {
        long ticks = utc.Ticks;
        long minute = ticks / TimeSpan.TicksPerMinute;
        var prefix = t_minutePrefix;
        if (prefix is null || minute != t_minute)
        {
            prefix = t_minutePrefix ??= new byte[17];
            Digits(prefix.AsSpan(0, 4), utc.Year);
            prefix[4] = (byte)'-';
            Digits(prefix.AsSpan(5, 2), utc.Month);
            prefix[7] = (byte)'-';
            Digits(prefix.AsSpan(8, 2), utc.Day);
            prefix[10] = (byte)'T';
            Digits(prefix.AsSpan(11, 2), utc.Hour);
            prefix[13] = (byte)':';
            Digits(prefix.AsSpan(14, 2), utc.Minute);
            prefix[16] = (byte)':';
            t_minute = minute;
        }
        prefix.CopyTo(dst);
        long within = ticks - minute * TimeSpan.TicksPerMinute;
        Digits(dst.Slice(17, 2), (int)(within / TimeSpan.TicksPerSecond));
        dst[19] = (byte)'.';
        Digits(dst.Slice(20, 7), (int)(within % TimeSpan.TicksPerSecond));
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
