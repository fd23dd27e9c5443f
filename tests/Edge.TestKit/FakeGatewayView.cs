using Edge.Local.Status;

namespace Edge.TestKit;

/// <summary>A gateway with a fixed set of local sensors and no uplink, for tests and benchmarks of the local API.</summary>
public sealed class FakeGatewayView(params SensorInfo[] sensors) : IGatewayView
{
    public string GatewayId { get; init; } = "gw1";

    public IReadOnlyList<SensorInfo> LocalSensors => sensors;

    public IReadOnlyCollection<string> ReadingTopics => ["traffic", "health", "environment"];

    public IReadOnlyList<string> ConsumerGroups => [];

    public UplinkSnapshot Uplink { get; } = new(UplinkSnapshot.BufferOnlyState);

    public IRulesView? Rules { get; init; }
}
