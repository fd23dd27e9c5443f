using Edge.Gateway.Tests.TestKit;
using Edge.Local.Broker;

namespace Edge.Gateway.Tests;

/// <summary>The edge-gateway command line as a user types it: the real executable, its exit code and its messages.</summary>
public class CommandLineTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "edge-gateway.dll");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("query latest --sensr spo2-bed1", "'--sensr'")]
    [InlineData("query latest --sensor spo2-bed1 -n five", "five")]
    [InlineData("query lates", "'lates'")]
    [InlineData("query stats --sensor temp-bed1 --window soon", "--window must be a duration such as 30s, 5m, 1h")]
    [InlineData("query status --timeout forever", "--timeout must be a duration such as 30s, 5m, 1h")]
    [InlineData("quer sensors", "unknown command 'quer'")]
    public async Task A_bad_command_line_exits_2_with_a_message_naming_what_was_wrong(string args, string expected)
    {
        var result = await Tool.RunAsync("dotnet", [Dll, .. args.Split(' ')], Timeout);
        Assert.Equal(2, result.Exit);
        Assert.Contains(expected, result.Err);
    }

    [Fact]
    public async Task Query_help_lists_every_option_and_exits_0()
    {
        var result = await Tool.RunAsync("dotnet", [Dll, "query", "--help"], Timeout);
        Assert.True(result.Exit == 0, result.Err);
        foreach (string option in new[] { "--sensor", "--rule", "--topic", "--partition", "--from", "--to", "--from-offset", "--to-offset", "-n, --limit", "--window", "--cursor", "--all", "--json", "--host", "--port", "--gateway", "--username", "--password", "--timeout" })
            Assert.Contains(option, result.Out);
    }

    [Fact]
    public async Task Hash_password_prints_a_hash_the_broker_accepts_for_that_password()
    {
        var result = await Tool.RunAsync("dotnet", [Dll, "hash-password", "correct horse"], Timeout);
        Assert.True(result.Exit == 0, result.Err);
        string hash = result.Out.Trim();
        Assert.True(PasswordHash.Verify("correct horse", hash), hash);
        Assert.False(PasswordHash.Verify("wrong horse", hash));
    }
}
