using System.CommandLine;

namespace Edge.Gateway.Cli;

/// <summary>
/// The <c>edge-gateway</c> command line (System.CommandLine): with no command it runs the gateway, and every token
/// is a configuration override for Microsoft.Extensions.Configuration (<c>--Log:Directory=/tmp/log</c>), handed on
/// untouched; <c>query</c> and <c>hash-password</c> are commands with --help, errors naming the option, and tab
/// completion through dotnet-suggest. A bad command line exits 2.
/// </summary>
public static class GatewayCli
{
    public const int UsageExitCode = 2;

    /// <summary>
    /// Runs a command and returns its exit code, or returns null when the command line asks to run the gateway (no
    /// command): the caller then hands <paramref name="args"/>, untouched, to the configuration.
    /// </summary>
    /// <param name="configuration">The gateway's configuration without the command line, for the query defaults.</param>
    public static async Task<int?> InvokeAsync(string[] args, IConfiguration configuration)
    {
        // Every token of a run is a configuration setting; the argument only collects them (the host reads args itself).
        var settings = new Argument<string[]>("settings")
        {
            Description = "configuration overrides: --Section:Key=value, --Section:Key value, /Section:Key value or Section:Key=value",
            Arity = ArgumentArity.ZeroOrMore,
        };
        settings.Validators.Add(r =>
        {
            // A bare word is a mistyped command, not a setting.
            if (r.Tokens is [var first, ..] && !first.Value.StartsWith('-') && !first.Value.StartsWith('/') && !first.Value.Contains('=', StringComparison.Ordinal))
                r.AddError($"unknown command '{first.Value}'; commands: query, hash-password");
        });
        var root = new RootCommand("edge-gateway: sensors -> durable local log -> MQTT uplink, with a local MQTT query API.\n"
            + "Without a command it runs the gateway; any --Section:Key=value overrides that configuration key (appsettings.json).")
        {
            settings,
        };
        bool run = false;
        root.Subcommands.Add(QueryCommand.Create(configuration));
        root.Subcommands.Add(HashPasswordCommand.Create());
        root.SetAction(_ => { run = true; });
        // No response files: '@' starts a value here, not a file to read.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            string command = parsed.CommandResult.Command == root ? "edge-gateway" : $"edge-gateway {parsed.CommandResult.Command.Name}";
            foreach (var e in parsed.Errors) await Console.Error.WriteLineAsync($"{command}: {e.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"Try '{command} --help'.").ConfigureAwait(false);
            return UsageExitCode;
        }
        // The gateway handles SIGTERM/Ctrl+C itself (the host's lifetime), and a query is short: System.CommandLine's
        // termination handler stays out of both.
        int exit = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        return run ? null : exit;
    }
}
