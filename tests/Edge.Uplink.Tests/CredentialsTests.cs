using Edge.Uplink.Connection;
using Edge.Uplink.Tests.TestKit;

namespace Edge.Uplink.Tests;

/// <summary>
/// A broker that refuses the uplink (wrong password) or is not there (closed port): the operator reads why in the
/// log, the uplink keeps retrying with growing delays, nothing is read from the log or committed, and once the broker
/// side is fixed every buffered reading is delivered without restarting the gateway.
/// </summary>
public class CredentialsTests
{
    private static readonly (string, string) Cloud = ("cloud", "cloud-secret");

    [Fact]
    public async Task A_wrong_password_is_logged_with_the_brokers_reason_retried_with_backoff_and_nothing_is_committed_until_the_broker_accepts_it()
    {
        using var dir = new TempDir();
        string passwords = Path.Combine(dir.Path, "passwd");
        PasswordFile.Set(passwords, "cloud", "cloud-secret");
        PasswordFile.Set(passwords, "gw", "the-right-one");
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"), "allow_anonymous false", $"password_file {passwords}");
        await using var cloud = await Subscriber.ConnectAsync(broker.Port, credentials: Cloud);
        using var sink = new LogSink();
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port, o => { o.Username = "gw"; o.Password = "a-wrong-one"; }), loggers: sink);
        await rig.AppendAsync("traffic", "mag-1", 200);
        await rig.AppendAsync("health", "spo2-1", 50);
        rig.Start();

        var first = await sink.WaitFor(e => Attempt(e) == 1, TimeSpan.FromSeconds(30), "for the first refused attempt");
        var fourth = await sink.WaitFor(e => Attempt(e) == 4, TimeSpan.FromSeconds(30), "for the fourth refused attempt");
        // Mosquitto 2 answers a wrong password with NotAuthorized (0x87); other brokers say BadUserNameOrPassword (0x86).
        Assert.Matches("the broker refused the connection: (BadUserNameOrPassword|NotAuthorized) — check Uplink:Username and Uplink:Password", first.Message);
        Assert.Equal(LogLevel.Warning, first.Level);
        // Equal jitter: attempt n waits between half and all of min * 2^(n-1), so attempt 4 always waits longer than attempt 1.
        Assert.True(Delay(fourth) > Delay(first), $"backoff did not grow: {Delay(first)} s then {Delay(fourth)} s");
        Assert.Equal(0, rig.Uplink.Counters.Sent);
        var group = rig.Log.Group(Uplink.GroupId);
        Assert.All(rig.Stored(), s => Assert.Null(group.CommittedOffset(s.Topic, s.Partition)));
        var status = rig.Uplink.Status();
        Assert.Equal(250, status.Lag);
        Assert.Matches("BadUserNameOrPassword|NotAuthorized", status.LastError ?? "");

        // The operator fixes the broker side (the gateway keeps running): everything buffered arrives, once each.
        PasswordFile.Set(passwords, "gw", "a-wrong-one");
        broker.Stop();
        broker.Start();
        var stored = rig.Stored();
        await cloud.WaitFor(m => Delivery.AllArrived(stored, m), TimeSpan.FromSeconds(60), "every reading once the password is accepted");
        Assert.Equal(250, Delivery.AssertComplete(stored, cloud.Messages).Unique);
        await rig.StopAsync();
        Assert.Equal(0, rig.Uplink.Status().Lag);
    }

    [Fact]
    public async Task An_unreachable_broker_is_logged_and_retried_until_it_appears_on_that_port_then_everything_is_delivered()
    {
        using var dir = new TempDir();
        using var broker = new Mosquitto(Path.Combine(dir.Path, "broker"));
        // The cloud's subscription is in the broker's persistent session before it goes away, as in production.
        await using var cloud = await Subscriber.ConnectAsync(broker.Port);
        broker.Stop();
        using var sink = new LogSink();
        await using var rig = new Rig(dir.Path, Rig.Options_(broker.Port), loggers: sink);
        await rig.AppendAsync("traffic", "mag-1", 300);
        await rig.AppendAsync("health", "spo2-1", 30);
        rig.Start();

        var third = await sink.WaitFor(e => Attempt(e) == 3, TimeSpan.FromSeconds(30), "for the third failed attempt");
        Assert.Contains($"uplink to mqtt://127.0.0.1:{broker.Port}: cannot connect:", third.Message);
        Assert.Matches("[Cc]onnection refused", third.Message); // the operating system's reason, not a stack trace
        Assert.Equal(0, rig.Uplink.Counters.Sent);
        Assert.Equal(UplinkState.WaitingToReconnect, rig.Uplink.Status().State);
        await rig.AppendAsync("traffic", "mag-1", 100); // readings keep arriving while it is down

        broker.Start();
        var stored = rig.Stored();
        await cloud.WaitFor(m => Delivery.AllArrived(stored, m), TimeSpan.FromSeconds(60), "every reading once the broker is up");
        Assert.Equal(430, Delivery.AssertComplete(stored, cloud.Messages).Unique);
        Assert.Contains(sink.Entries, e => e.Message.StartsWith("uplink connected to", StringComparison.Ordinal));
    }

    private static int Attempt(LogEntry e) => e.Values.TryGetValue("Attempt", out var a) && e.Message.Contains("retrying in", StringComparison.Ordinal) && a is int n ? n : 0;

    private static double Delay(LogEntry e) => (double)e.Values["Delay"]!;
}
