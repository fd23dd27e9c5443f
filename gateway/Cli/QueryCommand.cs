using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Readings;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Gateway.Cli;

/// <summary>
/// <c>edge-gateway query &lt;op&gt; [options]</c>: asks a running gateway over its local broker, exactly as any MQTT 5
/// client would (request on edge/&lt;id&gt;/query with Response Topic and Correlation Data), and prints a table or
/// the raw JSON. With <c>--all</c> a range (or alerts) follows the cursor to the end, page by page.
/// </summary>
public static class QueryCommand
{
    private static readonly string[] Ops = ["sensors", "latest", "range", "stats", "status", "rules", "alerts"];

    public static Command Create(IConfiguration configuration)
    {
        var op = new Argument<string>("op") { Description = "sensors, latest, range, stats, status, rules or alerts" };
        op.AcceptOnlyFromAmong(Ops);
        var sensor = new Option<string>("--sensor") { Description = "sensor id (latest, range, stats)", HelpName = "id" };
        var rule = new Option<string>("--rule") { Description = "stream rule (alerts: only this rule's events)", HelpName = "name" };
        var topic = new Option<string>("--topic") { Description = "log topic (range over a whole topic)", HelpName = "name" };
        var partition = new Option<long?>("--partition") { Description = "partition (range by offsets over a topic)", HelpName = "n" };
        var from = new Option<string>("--from") { Description = "ISO 8601 time (2026-11-29T08:00:00Z) or Unix ms", HelpName = "time" };
        var to = new Option<string>("--to") { Description = "ISO 8601 time or Unix ms", HelpName = "time" };
        var fromOffset = new Option<long?>("--from-offset") { Description = "first offset (range over a partition)", HelpName = "n" };
        var toOffset = new Option<long?>("--to-offset") { Description = "end offset, exclusive", HelpName = "n" };
        var limit = new Option<long?>("--limit", "-n") { Description = "readings (latest: last N, default 10; range, alerts: page size)", HelpName = "n" };
        var window = new Option<string>("--window") { Description = $"stats window: {DurationSyntax.Examples}", HelpName = "duration" };
        window.Validators.Add(r =>
        {
            string? text = r.GetValueOrDefault<string>();
            if (!DurationSyntax.TryParse(text, out _)) r.AddError($"--window must be a duration such as {DurationSyntax.Examples}, not '{text}'");
        });
        var cursor = new Option<string>("--cursor") { Description = "continue a range or alerts from a previous reply's 'next'" };
        var all = new Option<bool>("--all") { Description = "range, alerts: follow 'next' to the end" };
        var json = new Option<bool>("--json") { Description = "print the reply JSON as it came" };
        var host = new Option<string>("--host") { Description = "the gateway's broker", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int?>("--port") { Description = "broker port (default Broker:Port, 1883)" };
        var gateway = new Option<string>("--gateway") { Description = "gateway id (default Gateway:Id)", HelpName = "id" };
        var username = new Option<string>("--username") { Description = "broker account" };
        var password = new Option<string>("--password") { Description = "the account's password" };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = $"how long to wait for the broker and each reply: {DurationSyntax.Examples} (default 5 s, at least 1 s)", HelpName = "duration",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(5),
            CustomParser = r =>
            {
                string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (DurationSyntax.TryParse(text, out var t)) return t < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : t;
                r.AddError($"--timeout must be a duration such as {DurationSyntax.Examples}, not '{text}'");
                return default;
            },
        };
        var command = new Command("query", "ask a running gateway over its local broker (QUERY.md) and print a table or the JSON reply")
        {
            op, sensor, rule, topic, partition, from, to, fromOffset, toOffset, limit, window, cursor, all, json, host, port, gateway, username, password, timeout,
        };
        command.SetAction(parsed =>
        {
            var request = new JsonObject { ["op"] = parsed.GetValue(op) };
            if (parsed.GetValue(sensor) is { } s) request["sensor"] = s;
            if (parsed.GetValue(rule) is { } r) request["rule"] = r;
            if (parsed.GetValue(topic) is { } t) request["topic"] = t;
            if (parsed.GetValue(partition) is { } p) request["partition"] = p;
            if (parsed.GetValue(from) is { } f) request["from"] = Time(f);
            if (parsed.GetValue(to) is { } u) request["to"] = Time(u);
            if (parsed.GetValue(fromOffset) is { } fo) request["fromOffset"] = fo;
            if (parsed.GetValue(toOffset) is { } to2) request["toOffset"] = to2;
            if (parsed.GetValue(limit) is { } n) request["limit"] = n;
            if (parsed.GetValue(window) is { } w) request["window"] = w;
            if (parsed.GetValue(cursor) is { } c) request["cursor"] = c;
            // The defaults come from the gateway's own configuration (appsettings.json, the machine's file, EDGE_*).
            var config = configuration;
            var args = new QueryArgs
            {
                Request = request,
                Host = parsed.GetValue(host)!,
                Port = parsed.GetValue(port) ?? (int.TryParse(config["Broker:Port"], out int configured) && configured > 0 ? configured : 1883),
                Gateway = parsed.GetValue(gateway) ?? config["Gateway:Id"] ?? "edge-dev",
                Username = parsed.GetValue(username),
                Password = parsed.GetValue(password),
                Timeout = parsed.GetValue(timeout),
                Json = parsed.GetValue(json),
                All = parsed.GetValue(all),
            };
            return RunAsync(args);
        });
        return command;
    }

    // Unix milliseconds stay numbers; anything else is passed as the ISO 8601 string the gateway parses.
    private static JsonNode Time(string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms) ? JsonValue.Create(ms) : JsonValue.Create(value);

    public static async Task<int> RunAsync(QueryArgs a)
    {
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
