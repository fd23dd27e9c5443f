using System.Text.Json;
using Edge.Local.Status;

namespace Edge.Local.Tests.TestKit;

/// <summary>A gateway with a fixed set of local sensors and no uplink.</summary>
public sealed class FakeView(params SensorInfo[] sensors) : IGatewayView
{
    public string GatewayId => "gw1";

    public IReadOnlyList<SensorInfo> LocalSensors => sensors;

    public IReadOnlyCollection<string> ReadingTopics => ["traffic", "health", "environment"];

    public IReadOnlyList<string> ConsumerGroups => [];

    public long DiskBudgetBytes => 1L << 30;

    public void WriteUplink(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("state", "buffer-only");
        writer.WriteEndObject();
    }
}
