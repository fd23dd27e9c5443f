namespace Edge.Sensors.Detection;

/// <summary>
/// Detects vehicles under (or beside) a ranging sensor from its distance samples: a vehicle is a target nearer than
/// the learned empty-road distance (the baseline) by more than the on threshold for <c>OnSamples</c> samples, and is
/// gone after <c>OffSamples</c> samples back within the off threshold (hysteresis). The baseline is an exponential
/// average learned only while the road is empty; a reading farther than it moves it at once (nothing can be behind
/// the road), and a presence longer than <c>MaxPresence</c> is absorbed into it. "No target in range" counts as the
/// empty road. Counts a vehicle when it arrives and reports per-interval count and occupancy like a loop detector.
/// Not thread-safe: one sampler feeds it.
/// </summary>
public sealed class PresenceDetector(PresenceDetectorOptions options)
{
    private double _baseline = options.InitialBaselineMeters > 0 ? options.InitialBaselineMeters : double.NaN;
    private DateTimeOffset _last, _intervalStart, _presentSince, _firstNear;
    private bool _started;
    private int _near, _far, _vehicles;
    private TimeSpan _occupied;

    /// <summary>True while a vehicle is present.</summary>
    public bool Present { get; private set; }

    /// <summary>The learned empty-road distance in metres (NaN until the first in-range sample when no mount height was given).</summary>
    public double BaselineMeters => _baseline;

    /// <summary>Vehicles detected since the detector started.</summary>
    public long Count { get; private set; }

    /// <summary>Feeds one sample: the distance in metres, or null when the sensor saw nothing within its range.</summary>
    public void Add(DateTimeOffset time, double? meters)
    {
        if (!_started)
        {
            (_started, _last, _intervalStart) = (true, time, time);
        }
        if (double.IsNaN(_baseline))
        {
            if (meters is { } first) _baseline = first;
            _last = time;
            return;
        }
        double nearer = meters is { } m ? _baseline - m : double.NegativeInfinity;
        if (!Present)
        {
            _near = nearer > options.OnThresholdMeters ? _near + 1 : 0;
            if (_near == 1) _firstNear = time;
            if (_near >= options.OnSamples)
            {
                Present = true;
                _presentSince = _firstNear;
                _far = 0;
                _vehicles++;
                Count++;
            }
            else if (_near == 0 && meters is { } d)
            {
                // Only an empty road teaches the baseline: alpha = dt / tau (first-order low-pass); farther jumps at once.
                double alpha = Math.Clamp((time - _last) / options.BaselineTimeConstant, 0, 1);
                _baseline = d > _baseline ? d : _baseline + alpha * (d - _baseline);
            }
        }
        else if (nearer < options.OffThresholdMeters)
        {
            if (++_far >= options.OffSamples) Leave(time);
        }
        else
        {
            _far = 0;
            if (time - _presentSince > options.MaxPresence && meters is { } fixedObject)
            {
                Leave(time);
                _baseline = fixedObject;
            }
        }
        _last = time;
    }

    /// <summary>Closes the current interval at <paramref name="now"/> and starts the next one.</summary>
    public PresenceInterval Collect(DateTimeOffset now)
    {
        if (!_started) (_started, _last, _intervalStart) = (true, now, now);
        var occupied = _occupied + (Present ? now - Max(_presentSince, _intervalStart) : TimeSpan.Zero);
        double span = (now - _intervalStart).TotalSeconds;
        var result = new PresenceInterval(_intervalStart, now, _vehicles, span > 0 ? Math.Clamp(100 * occupied.TotalSeconds / span, 0, 100) : 0);
        _intervalStart = now;
        _occupied = TimeSpan.Zero;
        _vehicles = 0;
        return result;
    }

    private void Leave(DateTimeOffset time)
    {
        Present = false;
        _near = 0;
        var from = Max(_presentSince, _intervalStart);
        if (time > from) _occupied += time - from; // a departure dated before this interval adds nothing to it
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
