using Edge.Uplink.Connection;
using Edge.Uplink.Payload;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Edge.Uplink.Forwarding;
using Edge.Uplink.Tests.TestKit;

namespace Edge.Uplink.Tests;

/// <summary>A broker that keeps the connection open but stops acknowledging must not stall the uplink.</summary>
public class AckTimeoutTests
{
    [Fact]
    public async Task A_broker_that_stops_acknowledging_is_dropped_after_AckTimeout_and_every_reading_arrives_once_it_answers_again()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        // Keep-alive far beyond the test: only the PUBACK timeout can notice the silence.
        var options = Rig.Options_(broker.Port, o => { o.AckTimeout = TimeSpan.FromSeconds(2); o.KeepAlive = TimeSpan.FromMinutes(10); });
        await using var rig = new Rig(dir.Path, options);
        rig.Start();
        await rig.AppendAsync("traffic", "mag-1", 200);
        await cloud.WaitFor(m => m.Count >= 200, TimeSpan.FromSeconds(60), "the first readings");

        broker.Pause(); // SIGSTOP: the TCP connection stays up, nothing is acknowledged
        try
        {
            await rig.AppendAsync("traffic", "mag-1", 200);
            await Wait.Until(() => rig.Uplink.Counters.AckTimeouts > 0, TimeSpan.FromSeconds(30), "the uplink gave up on the missing PUBACKs");
            Assert.Equal(rig.Uplink.Counters.AckTimeouts, rig.Uplink.Status().Refusals.GetValueOrDefault(UplinkCounters.NoPubAck)); // reported in status
            await Wait.Until(() => rig.Uplink.Status().State != UplinkState.Connected, TimeSpan.FromSeconds(10), "the silent connection was dropped");
        }
        finally
        {
            broker.Resume();
        }

        var stored = rig.Stored();
        await cloud.WaitWhileArriving(m => Delivery.AllArrived(stored, m), TimeSpan.FromSeconds(30), "every reading after the broker answers again");
        Delivery.AssertComplete(stored, cloud.Messages);
        await Wait.Until(() => rig.Uplink.Status().Lag == 0, TimeSpan.FromSeconds(30), "everything is acknowledged and committed");
        Assert.True(rig.Uplink.Counters.Resent > 0, "the unacknowledged readings were sent again on the new connection");
    }

    [Fact]
    public async Task A_slow_link_still_answering_earlier_messages_is_waited_for_and_a_silent_broker_or_a_dropped_message_is_not()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var connection = new MqttUplinkConnection(Rig.Options_(1883, o => o.AckTimeout = TimeSpan.FromSeconds(30)), "gw", time, NullLogger.Instance);
        var message = new OutgoingMessage("t", new byte[1], new IdempotencyKey("gw", "traffic", 0, 0, 0), 1, "application/json");
        var first = connection.PublishAsync(message, out long s1, CancellationToken.None); // not connected: fails, but numbered
        _ = connection.PublishAsync(message, out long s2, CancellationToken.None);
        _ = connection.PublishAsync(message, out long s3, CancellationToken.None);
        Assert.True(first.IsFaulted);
        Assert.True(s1 < s2 && s2 < s3);

        connection.Acknowledged(s1);
        time.Advance(TimeSpan.FromSeconds(20));
        connection.Acknowledged(s2); // the link is slow, but PUBACKs keep coming in order
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.False(connection.IsSilentFor(s3)); // 35 s since s3 was sent, but only 15 s since the last PUBACK
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.True(connection.IsSilentFor(s3)); // nothing at all for 30 s: a wedged broker

        connection.Acknowledged(s3);
        Assert.False(connection.IsSilentFor(s3 + 1));
        Assert.True(connection.IsSilentFor(s2)); // a later message was answered: s2's PUBACK is not coming (MQTT 5 §4.6)
    }
}
