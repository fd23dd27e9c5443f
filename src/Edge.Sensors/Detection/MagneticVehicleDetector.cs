namespace Edge.Sensors.Detection;

/// <summary>
/// Detects vehicles from a magnetometer's field samples: steel distorts the Earth's field near the sensor. Keeps an
/// adaptive baseline (an exponential average of the field vector, frozen while a vehicle is present), measures the
/// deviation |B − B0|, and applies a threshold with hysteresis and debouncing: on after <c>OnSamples</c> samples above
/// the on threshold, off after <c>OffSamples</c> samples below the off threshold. Not thread-safe: one sampler feeds it.
/// </summary>
public sealed class MagneticVehicleDetector(VehicleDetectorOptions options)
{
    private double _bx, _by, _bz;
    private bool _hasBaseline;
    private DateTimeOffset _last;
    private int _above, _below;
    private bool _occupied;
    private DateTimeOffset _arrival, _lastAbove;
    private double _peak;

    public bool Occupied => _occupied;

    /// <summary>Total vehicles detected so far.</summary>
    public long Count { get; private set; }

    /// <summary>Feeds one sample (gauss); returns the finished vehicle event when one just left, else null.</summary>
    public VehicleEvent? Add(DateTimeOffset time, double x, double y, double z)
    {
        if (!_hasBaseline)
        {
            (_bx, _by, _bz, _hasBaseline, _last) = (x, y, z, true, time);
            return null;
        }
        double d = Math.Sqrt((x - _bx) * (x - _bx) + (y - _by) * (y - _by) + (z - _bz) * (z - _bz));
        VehicleEvent? finished = null;
        if (!_occupied)
        {
            _above = d > options.OnThresholdGauss ? _above + 1 : 0;
            if (_above == 1) { _arrival = time; _peak = 0; }
            if (_above > 0) { _peak = Math.Max(_peak, d); _lastAbove = time; }
            if (_above >= options.OnSamples)
            {
                _occupied = true;
                _below = 0;
            }
            else if (_above == 0)
            {
                // Only an empty lane teaches the baseline: alpha = dt / tau (first-order low-pass).
                double alpha = Math.Clamp((time - _last) / options.BaselineTimeConstant, 0, 1);
                _bx += alpha * (x - _bx);
                _by += alpha * (y - _by);
                _bz += alpha * (z - _bz);
            }
        }
        else
        {
            _peak = Math.Max(_peak, d);
            if (d < options.OffThresholdGauss)
            {
                if (++_below >= options.OffSamples)
                {
                    _occupied = false;
                    _above = 0;
                    Count++;
                    finished = new VehicleEvent(_arrival, _lastAbove, _peak);
                }
            }
            else
            {
                _below = 0;
                _lastAbove = time;
            }
        }
        _last = time;
        return finished;
    }
}
