using System.Diagnostics;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Web.Tests.TestKit;

/// <summary>
/// The real gateway (edge-gateway.dll beside the tests) with simulated sensors, its own log directory, and free
/// loopback ports for its broker and web server; <see cref="Restart"/> brings it back on the same ports and log.
/// </summary>
public sealed class WebGateway : IDisposable
{
    private readonly string[] _args;
    private ChildProcess _process;

    public WebGateway(params string[] args)
    {
        LogDirectory = Directory.CreateTempSubdirectory("edge-web-").FullName;
        BrokerPort = Edge.TestKit.FreePort.Get();
        WebPort = Edge.TestKit.FreePort.Get();
        _args = args;
        _process = Start();
    }

    public string LogDirectory { get; }

    public int BrokerPort { get; }

    public int WebPort { get; }

    public string GatewayId => "edge-web";

    public Uri Address => new($"http://127.0.0.1:{WebPort}/");

    public ChildProcess Process => _process;

    /// <summary>Waits until the web server listens (its "dashboard: open" line) and the sensors sample.</summary>
    public Task<string> WaitUntilServing(TimeSpan? timeout = null) =>
        _process.WaitForLine(l => l.Contains("dashboard: open", StringComparison.Ordinal), timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>SIGKILL, as a power cut or a crash would.</summary>
    public async Task Kill()
    {
        _process.Crash();
        await _process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    /// <summary>A remote node connected to the gateway's broker over MQTT 5, as ingest clients are.</summary>
    public async Task<IMqttClient> ConnectNodeAsync(string clientId)
    {
        var node = new MqttClientFactory().CreateMqttClient();
        await node.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", BrokerPort).WithClientId(clientId).WithProtocolVersion(MqttProtocolVersion.V500).Build());
        return node;
    }

    /// <summary>Publishes one JSON reading to ingest at QoS 1; the PUBACK comes once it is durable (QUERY.md "Ingest").</summary>
    public Task<MqttClientPublishResult> IngestAsync(IMqttClient node, string sensor, string reading) =>
        node.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"edge/{GatewayId}/ingest/{sensor}").WithPayload(Encoding.UTF8.GetBytes(reading))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public void Restart()
    {
        _process.Dispose();
        _process = Start();
    }

    private ChildProcess Start()
    {
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "edge-gateway.dll") } };
        foreach (string a in new[] { $"--Log:Directory={LogDirectory}", $"--Broker:Port={BrokerPort}", $"--Web:Port={WebPort}", $"--Gateway:Id={GatewayId}", "--Hardware:Mode=simulated" }.Concat(_args))
            start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production"; // no Development uplink into its own broker
        start.Environment["Logging__Console__FormatterName"] = "simple";
        return new ChildProcess(start);
    }

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            Directory.Delete(LogDirectory, true);
        }
        catch (IOException)
        {
        }
    }
}
