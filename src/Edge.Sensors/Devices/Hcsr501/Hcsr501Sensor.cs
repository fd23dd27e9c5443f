using System.Device.Gpio;
using Edge.Readings;
using Iot.Device.Hcsr501;

namespace Edge.Sensors.Devices.Hcsr501;

/// <summary>
/// An HC-SR501 PIR motion detector through the real dotnet/iot binding, as a sampled sensor (kind traffic.motion):
/// edges arrive as the binding's events; each tick closes an interval and reports the motion events (rising edges of
/// the output), the share of the interval the output was high, and whether it is high now. The part holds its output
/// high for its delay time after the last motion (retriggering mode "H": at least ~2.5 s with the delay pot fully
/// anticlockwise), so "active" is motion plus that hold, and one vehicle in a stream can merge with the next: the
/// count is of motion episodes, not vehicles. Sample every minute, like a loop. The caller owns the
/// <see cref="GpioController"/>; thread-safe (events arrive on the GPIO driver's thread).
/// </summary>
public sealed class Hcsr501Sensor : ISensor
{
    private readonly Iot.Device.Hcsr501.Hcsr501 _binding;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private DateTimeOffset _intervalStart, _highSince;
    private bool _high;
    private TimeSpan _active;
    private int _events;

    public Hcsr501Sensor(string id, GpioController gpio, int outputPin, TimeProvider time)
    {
        Id = id;
        _time = time;
        _binding = new Iot.Device.Hcsr501.Hcsr501(outputPin, gpio, shouldDispose: false);
        _intervalStart = _highSince = time.GetUtcNow();
        _high = _binding.IsMotionDetected;
        _binding.Hcsr501ValueChanged += OnChanged;
    }

    public string Id { get; }

    public string Kind => ReadingKinds.TrafficMotion;

    /// <summary>Motion events (rising edges) since the sensor started.</summary>
    public long Total { get; private set; }

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var active = _active + (_high ? now - Max(_highSince, _intervalStart) : TimeSpan.Zero);
            double span = (now - _intervalStart).TotalSeconds;
            values =
            [
                new("count", _events, "{event}"),
                new("active", span > 0 ? Math.Round(Math.Clamp(100 * active.TotalSeconds / span, 0, 100), 2) : 0, "%"),
                new("motion", _high ? 1 : 0, "1"),
                new("interval", Math.Round(span, 3), "s"),
            ];
            _intervalStart = now;
            _active = TimeSpan.Zero;
            _events = 0;
            return true;
        }
    }

    private void OnChanged(object sender, Hcsr501ValueChangedEventArgs e)
    {
        lock (_lock)
        {
            bool high = e.PinValue == PinValue.High;
            if (high == _high) return;
            var now = _time.GetUtcNow();
            _high = high;
            if (high)
            {
                _highSince = now;
                _events++;
                Total++;
            }
            else
            {
                _active += now - Max(_highSince, _intervalStart);
            }
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    // The binding leaves its pin callbacks registered on a shared controller when disposed; unsubscribing here at
    // least stops this sensor from counting.
    public void Dispose()
    {
        _binding.Hcsr501ValueChanged -= OnChanged;
        _binding.Dispose();
    }
}
