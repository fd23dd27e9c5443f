using Edge.Uplink.Connection;
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
}
