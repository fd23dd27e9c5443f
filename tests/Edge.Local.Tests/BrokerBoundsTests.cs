using System.Net.Sockets;
using System.Text.Json.Nodes;
using Edge.Local.Query;
using Edge.Local.Tests.TestKit;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Local.Tests;

/// <summary>What one hostile or careless client may cost a Pi is bounded, each by a configuration key.</summary>
public class BrokerBoundsTests
{
    [Fact]
    public async Task A_packet_announcing_more_than_MaxPacketBytes_closes_the_connection_before_login()
    {
        await using var rig = await LocalRig.StartAsync(configure: o => o.MaxPacketBytes = 64 * 1024);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", rig.Port);
        // A CONNECT fixed header announcing the largest remaining length MQTT can encode (268,435,455 bytes, MQTT 5
        // §1.5.5), and no body: the broker must not wait for (or allocate) it.
        await socket.SendAsync(new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0x7F }, SocketFlags.None);
        Assert.True(await ClosedAsync(socket, TimeSpan.FromSeconds(15)), "the broker kept the connection open waiting for a 256 MiB CONNECT");

        // The same from a logged-in client: a PUBLISH over the limit ends that connection, others go on.
        await using var node = await Client.ConnectAsync(rig.Port, user: "node", password: LocalRig.Password);
        Assert.Equal(64u * 1024, node.MaximumPacketSize); // announced in CONNACK (MQTT 5 §3.2.2.3.6)
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Mqtt.DisconnectedAsync += _ => { disconnected.TrySetResult(); return Task.CompletedTask; };
        try
        {
            await node.PublishAsync("edge/gw1/ingest/node-1", new byte[100 * 1024]);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The connection went away under the PUBLISH: that is the point.
        }
        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await using var other = await Client.ConnectAsync(rig.Port);
        Assert.True((await other.QueryAsync("gw1", JsonNode.Parse("""{"op":"sensors"}""")!.AsObject()))["ok"]!.GetValue<bool>());
        Assert.Equal(2, (await BrokerStatusAsync(other))["refused"]!["packetTooLarge"]!.GetValue<long>());
    }

    [Fact]
    public async Task Connections_beyond_MaxConnections_are_refused_and_a_freed_slot_is_reused()
    {
        await using var rig = await LocalRig.StartAsync(configure: o => o.MaxConnections = 2);
        var first = await Client.ConnectAsync(rig.Port);
        await using var second = await Client.ConnectAsync(rig.Port);
        Assert.Equal(MqttClientConnectResultCode.Success, first.ConnectResult);
        Assert.Equal(MqttClientConnectResultCode.Success, second.ConnectResult);
        Assert.False(await ConnectsAsync(rig.Port));
        var status = await BrokerStatusAsync(second);
        Assert.Equal(1, status["refused"]!["maxConnections"]!.GetValue<long>());
        Assert.Equal(2, status["connections"]!.GetValue<long>());

        await first.DisposeAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await ConnectsAsync(rig.Port)) cts.Token.ThrowIfCancellationRequested(); // the broker frees the slot on its own task
    }

    [Fact]
    public async Task After_repeated_failed_logins_an_address_is_refused_without_checking_passwords()
    {
        await using var rig = await LocalRig.StartAsync(configure: o =>
        {
            o.LoginFailuresBeforeBackoff = 3;
            o.LoginBackoff = TimeSpan.FromMinutes(5);
        });
        for (int i = 0; i < 3; i++)
        {
            await using var wrong = await Client.ConnectAsync(rig.Port, user: "viewer", password: "guess-" + i);
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, wrong.ConnectResult);
        }
        await using var right = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password);
        Assert.Equal(MqttClientConnectResultCode.ConnectionRateExceeded, right.ConnectResult);
        Assert.Contains("Broker:LoginBackoff", right.ConnectReason, StringComparison.Ordinal);

        // Clients on the device that need no password are not locked out by someone guessing; status counts both kinds.
        await using var local = await Client.ConnectAsync(rig.Port);
        Assert.Equal(MqttClientConnectResultCode.Success, local.ConnectResult);
        var refused = (await BrokerStatusAsync(local))["refused"]!;
        Assert.Equal(3, refused["badLogin"]!.GetValue<long>());
        Assert.Equal(1, refused["loginBackoff"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_new_client_id_does_not_reset_an_accounts_query_rate_limit()
    {
        await using var rig = await LocalRig.StartAsync(new QueryOptions { QueriesPerSecond = 0.001, Burst = 2 });
        var sensors = JsonNode.Parse("""{"op":"sensors"}""")!.AsObject();
        await using (var a = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password))
        {
            Assert.True((await a.QueryAsync("gw1", sensors))["ok"]!.GetValue<bool>());
            Assert.True((await a.QueryAsync("gw1", sensors))["ok"]!.GetValue<bool>());
            Assert.Equal(QueryErrorCode.RateLimited, (await a.QueryAsync("gw1", sensors))["error"]!["code"]!.GetValue<string>());
        }
        await using var b = await Client.ConnectAsync(rig.Port, user: "viewer", password: LocalRig.Password);
        Assert.Equal(QueryErrorCode.RateLimited, (await b.QueryAsync("gw1", sensors))["error"]!["code"]!.GetValue<string>());

        // Another account has its own allowance.
        await using var ops = await Client.ConnectAsync(rig.Port, user: "ops", password: LocalRig.Password);
        Assert.True((await ops.QueryAsync("gw1", sensors))["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_offline_session_queues_at_most_MaxQueuedMessagesPerSession_messages_and_MaxQueuedBytesPerSession_bytes()
    {
        await using var rig = await LocalRig.StartAsync(configure: o =>
        {
            o.MaxQueuedMessagesPerSession = 5;
            o.MaxQueuedBytesPerSession = 16 * 1024;
        });
        var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var sub = await Client.ConnectAsync(rig.Port, clientId: "slow-1", cleanStart: false, sessionExpiry: 3600))
        {
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await sub.SubscribeAsync("q/#"));
            rig.Api.Live.SubscriptionsChanged += () => left.TrySetResult(); // raised when the broker has seen a client go
        }
        await left.Task.WaitAsync(TimeSpan.FromSeconds(10)); // only then is what follows queued for a disconnected client
        await using var pub = await Client.ConnectAsync(rig.Port);
        for (int i = 0; i < 20; i++) await pub.PublishAsync("q/small", [(byte)i]);
        var (back, received) = await ReconnectUntilMarkerAsync(rig, pub, "slow-1");
        await back.DisposeAsync();
        Assert.Equal(Enumerable.Range(15, 5).Select(i => (byte)i), received.Where(m => m.Topic == "q/small").Select(m => m.Payload.FirstSpan[0]));

        // Bytes: 4 KiB messages against a 16 KiB allowance.
        for (int i = 0; i < 10; i++) await pub.PublishAsync("q/big", new byte[4096]);
        (back, received) = await ReconnectUntilMarkerAsync(rig, pub, "slow-1");
        await back.DisposeAsync();
        Assert.InRange(received.Count(m => m.Topic == "q/big"), 1, 4);
        Assert.True((await BrokerStatusAsync(pub))["notQueued"]!.GetValue<long>() >= 6);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task A_disconnected_session_expires_after_Broker_SessionExpiry_even_if_the_client_asked_for_never(MqttProtocolVersion version)
    {
        await using var rig = await LocalRig.StartAsync(configure: o => o.SessionExpiry = TimeSpan.FromSeconds(1));
        var expired = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Broker.SessionExpired += id => expired.TrySetResult(id);
        await using (var c = await Client.ConnectAsync(rig.Port, version, clientId: "forever-1", cleanStart: false, sessionExpiry: uint.MaxValue))
            await c.SubscribeAsync("q/#");
        Assert.Equal("forever-1", await expired.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await using var again = await Client.ConnectAsync(rig.Port, version, clientId: "forever-1", cleanStart: false, sessionExpiry: uint.MaxValue);
        Assert.False(again.SessionPresent);
        Assert.Equal(1, (await BrokerStatusAsync(again))["sessionsExpired"]!.GetValue<long>());
    }

    // Reconnects the persistent session and returns what it got up to a marker published after the reconnect: the
    // marker is queued behind everything that was held for the session.
    private static async Task<(Client Client, List<MqttApplicationMessage> Received)> ReconnectUntilMarkerAsync(LocalRig rig, Client publisher, string clientId)
    {
        var c = await Client.ConnectAsync(rig.Port, clientId: clientId, cleanStart: false, sessionExpiry: 3600);
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        c.MessageReceived += m => { if (m.Topic == "q/marker") marker.TrySetResult(); };
        await publisher.PublishAsync("q/marker", [0]);
        await marker.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return (c, c.Received.ToList());
    }

    private static async Task<JsonNode> BrokerStatusAsync(Client c) =>
        (await c.QueryAsync("gw1", JsonNode.Parse("""{"op":"status"}""")!.AsObject()))["status"]!["broker"]!;

    private static async Task<bool> ConnectsAsync(int port)
    {
        try
        {
            await using var c = await Client.ConnectAsync(port);
            return c.ConnectResult == MqttClientConnectResultCode.Success;
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            return false;
        }
    }

    private static async Task<bool> ClosedAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) == 0) return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
