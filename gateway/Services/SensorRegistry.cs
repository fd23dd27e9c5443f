using Edge.Sensors.Configuration;
using Edge.Sensors.Sampling;

namespace Edge.Gateway.Services;

/// <summary>The running samplers and their specs, for status reporting and (later) queries.</summary>
public sealed class SensorRegistry
{
    private readonly List<(SensorSampler Sampler, SensorSpec Spec)> _samplers = [];

    public IReadOnlyList<SensorStatus> Statuses
    {
        get { lock (_samplers) return _samplers.Select(s => s.Sampler.Status).ToList(); }
    }

    public IReadOnlyList<SensorSpec> Specs
    {
        get { lock (_samplers) return _samplers.Select(s => s.Spec).ToList(); }
    }

    public void Add(SensorSampler sampler, SensorSpec spec)
    {
        lock (_samplers) _samplers.Add((sampler, spec));
    }
}
