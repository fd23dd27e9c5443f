using Edge.Local.Query;
using Microsoft.Extensions.Time.Testing;

namespace Edge.Local.Tests;

/// <summary>
/// The per-client token bucket behind Query:QueriesPerSecond/Burst and Ingest:ReadingsPerSecond/Burst: bursts, the
/// sustained rate (fractional rates included), clients apart, and memory bounded under a stream of new client ids —
/// with no timer of its own (an idle gateway must not wake for it).
/// </summary>
public class ClientRateLimiterTests
{
    [Fact]
    public void A_client_gets_its_burst_at_once_then_tokens_at_the_rate_never_more_than_the_burst()
    {
        var time = new FakeTimeProvider();
        var limiter = new ClientRateLimiter(rate: 2, burst: 3, time);
        Assert.Equal([true, true, true, false], Take(limiter, "a", 4));
        time.Advance(TimeSpan.FromMilliseconds(500)); // one token earned
        Assert.Equal([true, false], Take(limiter, "a", 2));
        time.Advance(TimeSpan.FromMilliseconds(250)); // half a token: not yet
        Assert.False(limiter.TryAcquire("a"));
        time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.True(limiter.TryAcquire("a"));
        time.Advance(TimeSpan.FromMinutes(10)); // a long silence refills to the burst, not beyond
        Assert.Equal([true, true, true, false], Take(limiter, "a", 4));
    }

    [Fact]
    public void A_rate_below_one_a_second_works_and_clients_have_buckets_of_their_own()
    {
        var time = new FakeTimeProvider();
        var limiter = new ClientRateLimiter(rate: 0.5, burst: 1, time);
        Assert.Equal([true, false], Take(limiter, "slow", 2));
        Assert.True(limiter.TryAcquire("other")); // its own bucket, full
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(limiter.TryAcquire("slow"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire("slow"));
    }

    [Fact]
    public void A_stream_of_new_client_ids_does_not_grow_memory_and_a_client_still_short_of_tokens_keeps_its_bucket()
    {
        var time = new FakeTimeProvider();
        var limiter = new ClientRateLimiter(rate: 0.1, burst: 5, time); // one token per 10 s
        for (int i = 0; i < 10_000; i++) Assert.True(limiter.TryAcquire($"client-{i}"));
        Assert.Equal([true, true, true, true, true, false], Take(limiter, "busy", 6));
        Assert.Equal(10_001, limiter.Clients);
        time.Advance(ClientRateLimiter.SweepInterval); // each one-off client is full again; "busy" has earned one token
        // The request that sweeps: the full buckets go (a new one would be the same), "busy"'s stays — dropping it
        // would hand it a fresh burst of 5.
        Assert.Equal([true, false], Take(limiter, "busy", 2));
        Assert.Equal(1, limiter.Clients);
    }

    private static bool[] Take(ClientRateLimiter limiter, string client, int n) => [.. Enumerable.Range(0, n).Select(_ => limiter.TryAcquire(client))];
}
