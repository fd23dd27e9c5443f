using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Gateway.Cli;

/// <summary>
/// <c>edge-gateway query &lt;op&gt; [options]</c>: asks a running gateway over its local broker, exactly as any MQTT 5
/// client would (request on edge/&lt;id&gt;/query with Response Topic and Correlation Data), and prints a table or
/// the raw JSON. With <c>--all</c> a range follows the cursor to the end, page by page.
/// </summary>
public static class QueryCommand
{
    public const string Usage = """
        usage: edge-gateway query <sensors|latest|range|stats|status> [options]
          --sensor ID            sensor id (latest, range, stats)
          --topic NAME           log topic (range over a whole topic)
          --partition N          partition (range by offsets over a topic)
          --from T --to T        ISO 8601 times (2026-11-29T08:00:00Z) or Unix ms
          --from-offset N --to-offset N
          -n, --limit N          readings (latest: last N, default 10; range: page size)
          --window D             stats window: 30s, 5m, 1h
          --cursor C             continue a range from a previous 'next'
          --all                  range: follow 'next' to the end
          --json                 print the reply JSON as it came
          --host H --port P      broker (default 127.0.0.1 and Broker:Port)
          --gateway ID           gateway id (default Gateway:Id)
          --username U --password P
          --timeout SECONDS      default 5
        """;

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        QueryArgs a;
        try
        {
            a = QueryArgs.Parse(args, configuration);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"edge-gateway query: {e.Message}\n{Usage}");
            return 2;
        }
        using var client = new MqttClientFactory().CreateMqttClient();
        var replies = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<string>>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var id = e.ApplicationMessage.CorrelationData is { } c ? Convert.ToHexString(c) : "";
            if (replies.TryRemove(id, out var tcs)) tcs.TrySetResult(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        string replyTopic = $"edge-cli/{Guid.NewGuid():N}";
        try
        {
            var options = new MqttClientOptionsBuilder().WithTcpServer(a.Host, a.Port).WithProtocolVersion(MqttProtocolVersion.V500)
                .WithTimeout(a.Timeout);
            if (a.Username is not null) options = options.WithCredentials(a.Username, a.Password);
            var connected = await client.ConnectAsync(options.Build()).ConfigureAwait(false);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                Console.Error.WriteLine($"edge-gateway query: the broker at {a.Host}:{a.Port} refused the connection: {connected.ResultCode} {connected.ReasonString}");
                return 3;
            }
            await client.SubscribeAsync(replyTopic, MqttQualityOfServiceLevel.AtLeastOnce).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or TimeoutException)
        {
            Console.Error.WriteLine($"edge-gateway query: cannot reach the gateway's broker at {a.Host}:{a.Port} ({e.Message}); is the gateway running (dotnet run --project gateway)?");
            return 3;
        }

        var request = a.Request;
        int exit = 0;
        bool header = true;
        while (true)
        {
            var correlation = Guid.NewGuid().ToByteArray();
            var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            replies[Convert.ToHexString(correlation)] = tcs;
            var ack = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"edge/{a.Gateway}/query").WithPayload(request.ToJsonString())
                .WithResponseTopic(replyTopic).WithCorrelationData(correlation).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).ConfigureAwait(false);
            if (!ack.IsSuccess)
            {
                Console.Error.WriteLine($"edge-gateway query: the broker refused the request: {ack.ReasonCode} {ack.ReasonString}");
                return 1;
            }
            string reply;
            try
            {
                reply = await tcs.Task.WaitAsync(a.Timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Console.Error.WriteLine($"edge-gateway query: no reply within {a.Timeout.TotalSeconds} s; is gateway '{a.Gateway}' serving edge/{a.Gateway}/query on {a.Host}:{a.Port}?");
                return 3;
            }
            var json = JsonNode.Parse(reply)!;
            if (a.Json) Console.WriteLine(reply);
            else exit = QueryPrinter.Print(json, header);
            header = false;
            if (!a.All || json["next"]?.GetValue<string>() is not { } next || exit != 0) break;
            request["cursor"] = next;
        }
        await client.DisconnectAsync().ConfigureAwait(false);
        return exit;
    }
}
