using Edge.FirmwareSim.Gpio;
using System.Device.Gpio;
using System.Diagnostics;

namespace Edge.FirmwareSim.Devices.Hcsr04;

/// <summary>
/// An HC-SR04 ultrasonic module on a <see cref="SimulatedGpioDriver"/> (datasheet "HC-SR04 Ultrasonic Ranging
/// Module", Elec Freaks): on the falling edge of a trigger pulse the module sends an 8-cycle 40 kHz burst (200 µs),
/// then holds the echo pin high for the sound's round trip, 2·d / 343 m/s (58 µs per cm), or for about 38 ms when
/// nothing within 4 m reflects. The echo is a real level change at real (<see cref="Stopwatch"/>) times, whatever the
/// simulation clock does: the pin's edges are raised by the module's own thread (<see cref="ThreadName"/>, started
/// with the first ping), which sleeps until each edge is due (<see cref="PreciseSleep"/>). A driver timing the edge
/// events and a binding busy-polling the level both see the pulse as on the wire. The distance is sampled when the
/// ping starts. Thread-safe.
/// </summary>
public sealed class UltrasonicEcho : IDisposable
{
    /// <summary>Speed of sound in dry air at 20 °C.</summary>
    public const double SpeedOfSoundMetersPerSecond = 343;

    /// <summary>Farthest target the module reports (datasheet: 2 cm to 4 m).</summary>
    public const double MaxRangeMeters = 4.0;

    /// <summary>The echo thread's name (the footprint benchmark counts threads named "sim-*" as the simulator's).</summary>
    public const string ThreadName = "sim-hcsr04-echo";

    private static readonly TimeSpan Burst = TimeSpan.FromMicroseconds(8 / 40.0 * 1000);
    private static readonly TimeSpan NoEcho = TimeSpan.FromMilliseconds(38);

    private readonly SimulatedGpioDriver _driver;
    private readonly int _trigger, _echo;
    private readonly Func<double> _distanceMeters;
    private readonly object _lock = new();
    private readonly SemaphoreSlim _pinged = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private bool _disposed;
    private bool _triggerHigh;
    private (long Start, TimeSpan Width)? _ping;
    private int _pings;

    /// <param name="distanceMeters">Distance to the target now (called when a ping starts).</param>
    public UltrasonicEcho(SimulatedGpioDriver driver, int triggerPin, int echoPin, Func<double> distanceMeters)
    {
        _driver = driver;
        _trigger = triggerPin;
        _echo = echoPin;
        _distanceMeters = distanceMeters;
        driver.OutputWritten += OnOutput;
    }

    /// <summary>A scheduled fault: while it returns true the module is unplugged and the echo pin stays low.</summary>
    public Func<bool>? DisconnectedWhen { get; set; }

    /// <summary>Pings started so far.</summary>
    public int Pings => Volatile.Read(ref _pings);

    private void OnOutput(int pin, PinValue value)
    {
        if (pin != _trigger) return;
        long fell = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (value == PinValue.High)
            {
                _triggerHigh = true;
                return;
            }
            if (!_triggerHigh) return;
            _triggerHigh = false;
        }
        Interlocked.Increment(ref _pings);
        if (DisconnectedWhen?.Invoke() == true) return;
        // Sample the scene outside the lock (it may take the scenario's locks), then hand the ping to the echo thread.
        double d = _distanceMeters();
        var width = d is > 0 and <= MaxRangeMeters ? TimeSpan.FromSeconds(2 * d / SpeedOfSoundMetersPerSecond) : NoEcho;
        lock (_lock)
        {
            // A trigger already on its way when the board is disposed (the sonar's own sampling thread may still be in
            // its read while the gateway stops) must not start an echo thread after Dispose: that thread would meet
            // the disposed token and end the process with an unhandled exception.
            if (_disposed) return;
            if (_ping is not null) return; // the previous echo is still on the wire: the module ignores the trigger
            _ping = (fell, width);
            if (_thread is null) (_thread = new Thread(Run) { IsBackground = true, Name = ThreadName }).Start();
            _pinged.Release();
        }
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                _pinged.Wait(_stop.Token);
                (long start, TimeSpan width) = _ping!.Value;
                PreciseSleep.Until(start + (long)(Burst.TotalSeconds * Stopwatch.Frequency));
                // The width is the measurement. It is counted from after the rising edge's callbacks returned, so a
                // preemption of this thread (waking late, or between the level change and a callback) can only
                // lengthen the pulse an observer sees, never shorten it: a "no echo" pulse never looks like a target.
                _driver.SetInput(_echo, PinValue.High);
                PreciseSleep.Until(Stopwatch.GetTimestamp() + (long)(width.TotalSeconds * Stopwatch.Frequency));
                _driver.SetInput(_echo, PinValue.Low);
                lock (_lock) _ping = null;
            }
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
    }

    public void Dispose()
    {
        _driver.OutputWritten -= OnOutput;
        Thread? thread;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true; // no ping and no echo thread from here on (OnOutput checks it under the lock)
            thread = _thread;
        }
        _stop.Cancel();
        thread?.Join();
        _stop.Dispose();
        _pinged.Dispose();
    }
}
