namespace Edge.Sensors.Detection;

/// <summary>
/// Finds heart beats in an analog PPG (a PulseSensor-style module on an ADC), after the PulseSensor Playground
/// algorithm (World Famous Electronics, MIT licence): a beat is the upward crossing of an adaptive threshold set
/// halfway between the last beat's peak and trough; crossings within the refractory period (250 ms, i.e. 240 bpm)
/// or within 3/5 of the last interval (the dicrotic wave) are ignored; the crossing time is interpolated between
/// samples. After 2.5 s without a beat (finger lifted) the threshold returns to the signal's running mean. Beats
/// whose pulse amplitude is below the minimum are noise, not pulse, and break the interval sequence. Not
/// thread-safe: one sampler feeds it.
/// </summary>
public sealed class PulseBeatDetector(double minimumAmplitude)
{
    private static readonly TimeSpan Refractory = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(2.5);

    private DateTimeOffset _prevTime, _lastBeat;
    private double _prev, _mean = double.NaN, _threshold, _peak, _trough;
    private TimeSpan _interval = TimeSpan.FromMilliseconds(750);
    private bool _pulse, _haveBeat, _amplitudeOk;

    /// <summary>Peak-to-trough size (V) of the last complete pulse.</summary>
    public double Amplitude { get; private set; }

    /// <summary>Feeds one sample; returns the interval since the previous beat when this sample completes a valid one.</summary>
    public TimeSpan? Add(DateTimeOffset time, double volts)
    {
        if (double.IsNaN(_mean))
        {
            (_mean, _threshold, _peak, _trough, _prev, _prevTime, _lastBeat) = (volts, volts, volts, volts, volts, time, time);
            return null;
        }
        _mean += (volts - _mean) * 0.01; // ~1 s running mean at 100 samples/s
        var since = time - _lastBeat;
        TimeSpan? result = null;
        if (volts < _threshold && since > _interval * 0.6) _trough = Math.Min(_trough, volts);
        if (volts > _threshold && volts > _peak) _peak = volts;
        if (!_pulse && _prev <= _threshold && volts > _threshold && since > Refractory && since > _interval * 0.6)
        {
            var crossing = _prevTime + (time - _prevTime) * ((_threshold - _prev) / (volts - _prev));
            _pulse = true;
            if (_haveBeat && _amplitudeOk) result = _interval = crossing - _lastBeat;
            _haveBeat = true;
            _lastBeat = crossing;
        }
        if (_pulse && volts < _threshold)
        {
            _pulse = false;
            Amplitude = _peak - _trough;
            _amplitudeOk = Amplitude >= minimumAmplitude;
            _threshold = _trough + Amplitude / 2;
            _peak = _trough = _threshold;
        }
        if (time - _lastBeat > Silence)
        {
            _threshold = _peak = _trough = _mean;
            _haveBeat = _amplitudeOk = _pulse = false;
            _interval = TimeSpan.FromMilliseconds(750);
            _lastBeat = time;
        }
        (_prev, _prevTime) = (volts, time);
        return result;
    }
}
