using Edge.Readings;
using Edge.Sensors;

namespace Edge.FirmwareSim.Cli.Synthetic;

/// <summary>One sensor of the synthetic fleet as an <see cref="ISensor"/>, so it runs through the same sampler as hardware.</summary>
public sealed class SyntheticSensor : ISensor
{
    private readonly SyntheticFleet _fleet;
    private readonly int _index;
    private readonly TimeProvider _time;

    public SyntheticSensor(int index, int seed, TimeProvider time)
    {
        _index = index;
        _time = time;
        _fleet = new SyntheticFleet(seed + index); // one generator per sensor: samplers run concurrently
        (Id, Kind, Topic) = SyntheticFleet.Sensors[index % SyntheticFleet.Sensors.Count];
    }

    public string Id { get; }

    public string Kind { get; }

    /// <summary>The log topic this sensor's readings belong to.</summary>
    public string Topic { get; }

    public bool TryRead(out IReadOnlyList<ReadingValue> values)
    {
        values = _fleet.Next(_index, _time.GetUtcNow()).Values;
        return true;
    }

    public void Dispose() { }
}
