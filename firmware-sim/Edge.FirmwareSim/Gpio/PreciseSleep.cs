using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Edge.FirmwareSim.Gpio;

/// <summary>
/// Sleeps until a <see cref="Stopwatch"/> timestamp with microsecond accuracy, without spinning for most of the wait:
/// simulated edges (an HC-SR04 echo, 58 µs per cm) must reach the bindings at real times, and .NET's own sleeps have
/// millisecond granularity. On Linux <see cref="Stopwatch"/> reads CLOCK_MONOTONIC in nanoseconds, so the thread sleeps
/// with clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) (clock_nanosleep(2)) until <see cref="SpinMargin"/> before the
/// deadline — the kernel's timer slack is 50 µs by default (prctl(2), PR_SET_TIMERSLACK) — and spins the rest.
/// Elsewhere it sleeps whole milliseconds and spins the last one.
/// </summary>
internal static partial class PreciseSleep
{
    /// <summary>Spun at the end of each wait: more than the default timer slack.</summary>
    public static readonly TimeSpan SpinMargin = TimeSpan.FromMicroseconds(100);

    private const int ClockMonotonic = 1, TimerAbsTime = 1, EIntr = 4;

    public static void Until(long timestamp)
    {
        long spinFrom = timestamp - (long)(SpinMargin.TotalSeconds * Stopwatch.Frequency);
        if (OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000)
        {
            var at = new Timespec { Seconds = (nint)(spinFrom / 1_000_000_000), Nanoseconds = (nint)(spinFrom % 1_000_000_000) };
            while (at.Seconds >= 0 && ClockNanosleep(ClockMonotonic, TimerAbsTime, in at, IntPtr.Zero) == EIntr) { }
        }
        else
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp) - TimeSpan.FromMilliseconds(1);
            if (left > TimeSpan.Zero) Thread.Sleep(left);
        }
        while (Stopwatch.GetTimestamp() < timestamp) Thread.SpinWait(16);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds; // time_t and long: the platform's word size
        public nint Nanoseconds;
    }

    // Returns the error number itself (0 on success), not -1 and errno (clock_nanosleep(2)).
    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remain);
}
