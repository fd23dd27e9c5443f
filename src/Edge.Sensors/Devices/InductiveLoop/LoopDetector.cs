using System.Device.Gpio;

namespace Edge.Sensors.Devices.InductiveLoop;

/// <summary>
/// Counts vehicles from an inductive-loop detector card's presence output on a GPIO pin (an opto-isolated open
/// collector: low while a vehicle is over the loop, so the pin uses the pull-up). Edges are debounced: a level
/// change counts only after it has been stable for <c>debounce</c> (relay bounce, electrical noise). Reports
/// per-interval counts and occupancy. The caller owns the <see cref="GpioController"/>. Thread-safe.
/// </summary>
public sealed class LoopDetector : IDisposable
{
    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly TimeSpan _debounce;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private bool _present;          // debounced state
    private bool _raw;              // last raw level seen (true = vehicle present)
    private DateTimeOffset _rawSince;
    private DateTimeOffset _intervalStart;
    private DateTimeOffset _presentSince;
    private TimeSpan _occupied;
    private int _vehicles;

    public LoopDetector(GpioController gpio, int pin, TimeProvider time, TimeSpan debounce)
    {
        _gpio = gpio;
        _pin = pin;
        _time = time;
        _debounce = debounce;
        _gpio.OpenPin(pin, PinMode.InputPullUp);
        _intervalStart = _rawSince = time.GetUtcNow();
        _raw = _present = _gpio.Read(pin) == PinValue.Low;
        _presentSince = _intervalStart;
        _gpio.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Rising | PinEventTypes.Falling, OnEdge);
    }

    /// <summary>Vehicles counted since the detector started.</summary>
    public long Total { get; private set; }

    /// <summary>Closes the current interval at now and starts the next one.</summary>
    public LoopInterval Collect()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            Settle(now);
            var occupied = _occupied + (_present ? now - Max(_presentSince, _intervalStart) : TimeSpan.Zero);
            double span = (now - _intervalStart).TotalSeconds;
            var result = new LoopInterval(_intervalStart, now, _vehicles, span > 0 ? 100 * occupied.TotalSeconds / span : 0);
            _intervalStart = now;
            _occupied = TimeSpan.Zero;
            _vehicles = 0;
            return result;
        }
    }

    private void OnEdge(object sender, PinValueChangedEventArgs e)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            Settle(now);
            bool level = e.ChangeType == PinEventTypes.Falling; // low = present
            if (level == _raw) return;
            _raw = level;
            _rawSince = now;
        }
    }

    // Applies a raw level that has now been stable for the debounce time, at the moment it became stable.
    private void Settle(DateTimeOffset now)
    {
        if (_raw == _present || now - _rawSince < _debounce) return;
        var at = _rawSince;
        if (_raw)
        {
            _present = true;
            _presentSince = at;
            _vehicles++;
            Total++;
        }
        else
        {
            _present = false;
            // A departure confirmed only after the interval closed happened in the closed interval, which already
            // counted the vehicle as present until its end: nothing of it belongs to this one (never negative).
            var from = Max(_presentSince, _intervalStart);
            if (at > from) _occupied += at - from;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    public void Dispose() => _gpio.UnregisterCallbackForPinValueChangedEvent(_pin, OnEdge);
}
