namespace Edge.TestKit;

/// <summary>Waits on a condition the test can only poll (counters, states), with a deadline instead of a fixed sleep.</summary>
public static class Wait
{
    public static async Task Until(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting until {what}");
            await Task.Delay(10);
        }
    }
}
