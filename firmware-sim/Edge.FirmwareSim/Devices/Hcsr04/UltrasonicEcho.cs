using Edge.FirmwareSim.Gpio;
using System.Device.Gpio;
using System.Diagnostics;

namespace Edge.FirmwareSim.Devices.Hcsr04;

/// <summary>
/// An HC-SR04 ultrasonic module on a <see cref="SimulatedGpioDriver"/> (datasheet "HC-SR04 Ultrasonic Ranging
/// Module", Elec Freaks): on the falling edge of a trigger pulse the module sends an 8-cycle 40 kHz burst (200 µs),
/// then holds the echo pin high for the sound's round trip, 2·d / 343 m/s (58 µs per cm), or for about 38 ms when
/// nothing within 4 m reflects. The echo level is computed from <see cref="Stopwatch"/> time at each read, because
/// the binding busy-polls the pin and times the pulse with a Stopwatch: the pulse is real time whatever the
/// simulation clock does. The distance is sampled when the ping starts. Thread-safe.
/// </summary>
public sealed class UltrasonicEcho : IDisposable
{
    /// <summary>Speed of sound in dry air at 20 °C.</summary>
    public const double SpeedOfSoundMetersPerSecond = 343;

    /// <summary>Farthest target the module reports (datasheet: 2 cm to 4 m).</summary>
    public const double MaxRangeMeters = 4.0;

    private static readonly TimeSpan Burst = TimeSpan.FromMicroseconds(8 / 40.0 * 1000);
    private static readonly TimeSpan NoEcho = TimeSpan.FromMilliseconds(38);

    private readonly SimulatedGpioDriver _driver;
    private readonly int _trigger, _echo;
    private readonly Func<double> _distanceMeters;
    private readonly object _lock = new();
    private bool _triggerHigh;
    private long _pingStart;
    private TimeSpan _width;
    private bool _pinging;

    /// <param name="distanceMeters">Distance to the target now (called when a ping starts).</param>
    public UltrasonicEcho(SimulatedGpioDriver driver, int triggerPin, int echoPin, Func<double> distanceMeters)
    {
        _driver = driver;
        _trigger = triggerPin;
        _echo = echoPin;
        _distanceMeters = distanceMeters;
        driver.OutputWritten += OnOutput;
        driver.AttachSignal(echoPin, Echo);
    }

    /// <summary>A scheduled fault: while it returns true the module is unplugged and the echo pin stays low.</summary>
    public Func<bool>? DisconnectedWhen { get; set; }

    /// <summary>Pings started so far.</summary>
    public int Pings { get; private set; }

    private void OnOutput(int pin, PinValue value)
    {
        if (pin != _trigger) return;
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
        // Sample the scene outside the lock (it may take the scenario's locks), then start the ping.
        double d = _distanceMeters();
        var width = d is > 0 and <= MaxRangeMeters ? TimeSpan.FromSeconds(2 * d / SpeedOfSoundMetersPerSecond) : NoEcho;
        lock (_lock)
        {
            _width = width;
            _pingStart = Stopwatch.GetTimestamp();
            _pinging = true;
            Pings++;
        }
    }

    private PinValue Echo()
    {
        if (DisconnectedWhen?.Invoke() == true) return PinValue.Low;
        lock (_lock)
        {
            if (!_pinging) return PinValue.Low;
            var elapsed = Stopwatch.GetElapsedTime(_pingStart);
            if (elapsed >= Burst + _width) _pinging = false;
            return elapsed >= Burst && _pinging ? PinValue.High : PinValue.Low;
        }
    }

    public void Dispose()
    {
        _driver.OutputWritten -= OnOutput;
        _driver.AttachSignal(_echo, null);
    }
}
