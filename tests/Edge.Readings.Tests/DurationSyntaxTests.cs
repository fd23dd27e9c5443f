using Edge.Readings;

namespace Edge.Readings.Tests;

public class DurationSyntaxTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("90", 90_000)]
    [InlineData("0.25", 250)]
    [InlineData("00:10:00", 600_000)]
    [InlineData("1.00:00:00", 86_400_000)]
    [InlineData("00:00:00.002", 2)]
    public void Every_documented_form_reads_as_the_same_milliseconds(string text, long ms)
    {
        Assert.True(DurationSyntax.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(ms), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("0s")]
    [InlineData("0.5ms")]
    [InlineData("1e3s")]
    [InlineData(" 5s")]
    [InlineData("5 s")]
    [InlineData("5w")]
    [InlineData("00:00:00")]
    [InlineData("-00:10:00")]
    [InlineData("100001d")]
    public void Anything_else_is_refused(string text) => Assert.False(DurationSyntax.TryParse(text, out _));
}
