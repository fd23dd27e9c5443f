using System.Device.Gpio;
using System.Diagnostics;
using Edge.Sensors.Detection;

namespace Edge.Sensors.Devices.Hcsr04;

/// <summary>
/// An HC-SR04 on two GPIO lines as a distance source, timed from the echo pin's edge events instead of a busy poll.
/// dotnet/iot's binding (<c>Iot.Device.Hcsr04.Hcsr04.TryGetDistance</c>) reads the echo pin in a loop for the whole
/// pulse, up to 38 ms of a core per ping (the largest item of the default gateway's CPU, BENCHMARKS.md "Footprint"),
/// and has no interrupt path. Here the thread that pings sleeps on an event: the echo's rising and falling edges, as
/// the GPIO driver delivers them (libgpiod's edge-event thread on a Pi), are stamped with <see cref="Stopwatch"/>
/// time in the callback, and the pulse width between them is the sound's round trip (datasheet "HC-SR04 Ultrasonic
/// Ranging Module", Elec Freaks: 58 µs per cm; 343 m/s at 20 °C). Both edges pass through the same callback path, so
/// its latency mostly cancels in the width; a delayed edge lengthens or shortens one ping, as a preemption did in the
/// busy poll.
/// <para>
/// Pings are paced at least <see cref="MinPingSpacing"/> apart (the datasheet asks for 60 ms so an echo cannot be
/// taken for the next ping's). A failed ping (no echo within <see cref="EchoTimeout"/>, or one longer than the 4 m
/// range) yields no reading; <see cref="FailuresBeforeFault"/> in a row mean the module does not answer (unplugged,
/// or an echo line without its level divider) and throw <see cref="IOException"/> so the sampler marks it degraded.
/// One caller at a time (the sampler's). The caller owns the <see cref="GpioController"/> (and closes the pins opened
/// here by disposing it); dispose removes the edge callback.
/// </para>
/// </summary>
public sealed class Hcsr04DistanceSource : IDistanceSource
{
    /// <summary>Minimum time between two pings.</summary>
    public static readonly TimeSpan MinPingSpacing = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a ping waits for the end of its echo: the module's 38 ms "nothing reflected" pulse, its 0.2 ms burst and margin.</summary>
    public static readonly TimeSpan EchoTimeout = TimeSpan.FromMilliseconds(60);

    /// <summary>Consecutive failed pings after which the module is reported as not answering.</summary>
    public const int FailuresBeforeFault = 5;

    /// <summary>Farthest distance the module reports (datasheet: 2 cm to 4 m).</summary>
    public const double MaxRangeMeters = 4.0;

    private const double SpeedOfSoundMetersPerSecond = 343;

    private static readonly TimeSpan TriggerPulse = TimeSpan.FromMicroseconds(10);

    private readonly GpioController _gpio;
    private readonly int _trigger, _echo;
    private readonly ManualResetEventSlim _echoEnded = new(false, spinCount: 0); // waited up to 38 ms: spinning first would only burn CPU
    private readonly Stopwatch _sinceLastPing = new();
    private long _rise, _fall; // Stopwatch timestamps of this ping's echo edges; 0 = not seen
    private int _failures;

    public Hcsr04DistanceSource(GpioController gpio, int triggerPin, int echoPin)
    {
        _gpio = gpio;
        _trigger = triggerPin;
        _echo = echoPin;
        _gpio.OpenPin(_trigger, PinMode.Output, PinValue.Low);
        _gpio.OpenPin(_echo, PinMode.Input);
        _gpio.RegisterCallbackForPinValueChangedEvent(_echo, PinEventTypes.Rising | PinEventTypes.Falling, OnEcho);
    }

    public bool TryReadDistance(out double? meters)
    {
        meters = null;
        if (_sinceLastPing.IsRunning && _sinceLastPing.Elapsed < MinPingSpacing) Thread.Sleep(MinPingSpacing - _sinceLastPing.Elapsed);
        bool ok = TryPing(out double distance);
        _sinceLastPing.Restart();
        if (!ok)
        {
            if (++_failures >= FailuresBeforeFault)
            {
                _failures = 0;
                throw new IOException($"HC-SR04 gave no valid echo for {FailuresBeforeFault} pings in a row (wiring, echo divider, or a target beyond 4 m)");
            }
            return false;
        }
        _failures = 0;
        meters = distance;
        return true;
    }

    private bool TryPing(out double meters)
    {
        meters = 0;
        Volatile.Write(ref _rise, 0);
        Volatile.Write(ref _fall, 0);
        _echoEnded.Reset();
        // A trigger pulse of at least 10 µs starts a measurement (datasheet "Timing diagram"); the module answers on its falling edge.
        _gpio.Write(_trigger, PinValue.High);
        long high = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(high) < TriggerPulse) Thread.SpinWait(8); // 10 µs: too short to sleep
        _gpio.Write(_trigger, PinValue.Low);
        if (!_echoEnded.Wait(EchoTimeout)) return false;
        long rise = Volatile.Read(ref _rise), fall = Volatile.Read(ref _fall);
        meters = Stopwatch.GetElapsedTime(rise, fall).TotalSeconds * SpeedOfSoundMetersPerSecond / 2;
        return meters is > 0 and <= MaxRangeMeters;
    }

    // Runs on the GPIO driver's event thread. A falling edge counts only after this ping's rising edge, so a stray
    // edge before the trigger (or the tail of a timed-out ping) cannot end the measurement.
    private void OnEcho(object sender, PinValueChangedEventArgs e)
    {
        long now = Stopwatch.GetTimestamp();
        if (e.ChangeType == PinEventTypes.Rising) Volatile.Write(ref _rise, now);
        else if (Volatile.Read(ref _rise) != 0 && Volatile.Read(ref _fall) == 0)
        {
            Volatile.Write(ref _fall, now);
            _echoEnded.Set();
        }
    }

    public void Dispose()
    {
        _gpio.UnregisterCallbackForPinValueChangedEvent(_echo, OnEcho);
        _echoEnded.Dispose();
    }
}
