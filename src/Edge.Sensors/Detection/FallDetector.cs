namespace Edge.Sensors.Detection;

/// <summary>
/// Detects falls from accelerometer samples (g): a free fall of at least MinFreeFall, an impact above ImpactG within
/// ImpactWindow, then a still period of Inactivity (|a| ≈ 1 g) beginning within InactivityWindow of the impact.
/// All three phases are required, so jumps (no inactivity after landing) and sitting down hard (no free fall) are not
/// falls. Not thread-safe: one sampler feeds it.
/// </summary>
public sealed class FallDetector(FallDetectorOptions options)
{
    private enum Phase { Idle, FreeFall, AwaitImpact, AwaitStill }

    private Phase _phase = Phase.Idle;
    private DateTimeOffset _freeFallStart, _freeFallEnd, _impact, _stillSince;
    private bool _still;
    private double _peak;

    /// <summary>Feeds one sample; returns the fall when its inactivity phase completes, else null.</summary>
    public FallEvent? Add(DateTimeOffset time, double x, double y, double z)
    {
        double a = Math.Sqrt(x * x + y * y + z * z);
        switch (_phase)
        {
            case Phase.Idle:
                if (a < options.FreeFallG) { _phase = Phase.FreeFall; _freeFallStart = time; }
                break;
            case Phase.FreeFall:
                if (a >= options.FreeFallG)
                {
                    _freeFallEnd = time;
                    _phase = time - _freeFallStart >= options.MinFreeFall ? Phase.AwaitImpact : Phase.Idle;
                    if (_phase == Phase.AwaitImpact) return Add(time, x, y, z); // this sample may already be the impact
                }
                break;
            case Phase.AwaitImpact:
                if (a > options.ImpactG)
                {
                    _phase = Phase.AwaitStill;
                    _impact = time;
                    _peak = a;
                    _still = false;
                }
                else if (time - _freeFallEnd > options.ImpactWindow)
                {
                    _phase = Phase.Idle;
                }
                break;
            case Phase.AwaitStill:
                _peak = Math.Max(_peak, a);
                bool still = Math.Abs(a - 1) <= options.StillToleranceG;
                if (still && !_still) _stillSince = time;
                _still = still;
                if (still && time - _stillSince >= options.Inactivity)
                {
                    _phase = Phase.Idle;
                    return new FallEvent(_impact, _peak, _freeFallEnd - _freeFallStart);
                }
                if (!still && time - _impact > options.InactivityWindow) _phase = a < options.FreeFallG ? Phase.FreeFall : Phase.Idle;
                if (_phase == Phase.FreeFall) _freeFallStart = time;
                break;
        }
        return null;
    }
}
