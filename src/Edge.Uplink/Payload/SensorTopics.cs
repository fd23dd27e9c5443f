namespace Edge.Uplink.Payload;

/// <summary>
/// The expanded MQTT topic of each (log topic, partition, sensor) an encoder met, so one-reading messages do not run
/// four string replacements each. Bounded: a gateway has a fixed set of sensors, but a cleared cache costs only misses.
/// </summary>
internal sealed class SensorTopics(TopicTemplate template)
{
    private const int MaxEntries = 4096;

    private readonly Dictionary<(string Topic, int Partition, string Sensor), string> _expanded = [];

    public string For(string topic, int partition, string sensor)
    {
        if (_expanded.TryGetValue((topic, partition, sensor), out var expanded)) return expanded;
        if (_expanded.Count >= MaxEntries) _expanded.Clear();
        return _expanded[(topic, partition, sensor)] = template.Expand(topic, partition, sensor);
    }
}
