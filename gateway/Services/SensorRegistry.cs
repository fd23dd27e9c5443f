using Edge.Sensors.Sampling;

namespace Edge.Gateway.Services;

/// <summary>The running samplers, for status reporting.</summary>
public sealed class SensorRegistry
{
    private readonly List<SensorSampler> _samplers = [];

    public IReadOnlyList<SensorStatus> Statuses
    {
        get { lock (_samplers) return _samplers.Select(s => s.Status).ToList(); }
    }

    public void Add(SensorSampler sampler)
    {
        lock (_samplers) _samplers.Add(sampler);
    }
}
