using Edge.Readings.Retry;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Readings.Tests.Retry;

public class ReconnectBackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    [Fact]
    public void Jittered_delays_stay_within_half_to_the_whole_step_and_grow_while_the_step_doubles()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var backoff = new ReconnectBackoff(First, Max, TimeProvider.System, new Random(seed));
            var previous = TimeSpan.Zero;
            for (int failures = 1; failures <= 12; failures++)
            {
                var step = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, failures - 1)));
                var delay = backoff.Next(failures);
                Assert.InRange(delay, step / 2, step);
                // Up to 32 s the step doubles, so the next wait's floor (half its step) is this wait's ceiling.
                if (step <= TimeSpan.FromSeconds(32))
                    Assert.True(delay >= previous, $"seed {seed}: wait {delay} after {failures} failures is shorter than the {previous} before it");
                previous = delay;
            }
        }
    }

    [Fact]
    public void Steps_double_from_the_first_delay_up_to_the_maximum_and_stay_there()
    {
        var backoff = new ReconnectBackoff(First, Max, TimeProvider.System);
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], Enumerable.Range(1, 8).Select(f => backoff.Step(f).TotalSeconds));
        Assert.Equal(Max, backoff.Step(int.MaxValue));
    }

    [Fact]
    public void Jitter_spreads_a_fleet_that_failed_together()
    {
        // 100 gateways that lost the same broker: their third waits (step 4 s) must not coincide, or they reconnect in lockstep.
        var waits = Enumerable.Range(0, 100).Select(seed => new ReconnectBackoff(First, Max, TimeProvider.System, new Random(seed)).Next(3)).ToList();
        Assert.True(waits.Max() - waits.Min() > TimeSpan.FromSeconds(1.5), $"waits span only {waits.Max() - waits.Min()}");
        Assert.True(waits.Distinct().Count() > 90);
    }

    [Fact]
    public async Task Waits_on_the_given_clock()
    {
        var time = new FakeTimeProvider();
        var backoff = new ReconnectBackoff(First, Max, time);
        var wait = backoff.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
