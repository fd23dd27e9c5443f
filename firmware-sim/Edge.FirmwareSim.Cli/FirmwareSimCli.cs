using System.CommandLine;
using Edge.FirmwareSim.Scenarios;

namespace Edge.FirmwareSim.Cli;

/// <summary>
/// The <c>firmware-sim</c> command line (System.CommandLine): <c>scenarios</c>, <c>run</c> and <c>fleet</c>, with
/// --help on each and tab completion through dotnet-suggest. A bad argument exits 2 with a message naming it.
/// </summary>
public static class FirmwareSimCli
{
    public const int UsageExitCode = 2;

    public static RootCommand Create(TextWriter output)
    {
        var root = new RootCommand("firmware-sim: the gateway's sensors as register models under a scenario, or a fleet of remote nodes");
        var scenarios = new Command("scenarios", "list the scenarios");
        scenarios.SetAction(_ =>
        {
            foreach (var s in ScenarioCatalog.All) output.WriteLine($"{s.Name,-16} {s.Description}");
            return 0;
        });
        root.Subcommands.Add(scenarios);
        root.Subcommands.Add(RunCommand.Create(output));
        root.Subcommands.Add(FleetCommand.Create(output));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; the exit code is the command's, or 2 for a bad command line.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // No response files: an argument starting with '@' is a value, not a file to read.
        var parsed = Create(output).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) await error.WriteLineAsync($"firmware-sim: {e.Message}").ConfigureAwait(false);
            await error.WriteLineAsync("Try 'firmware-sim --help'.").ConfigureAwait(false);
            return UsageExitCode;
        }
        // Ctrl+C is the caller's token: fleet then waits for its PUBACKs in flight and prints its totals, so
        // System.CommandLine's own termination timeout is off.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            // A bench the gateway's appsettings.json describes wrongly: the message names the key.
            await error.WriteLineAsync($"firmware-sim: {e.Message}").ConfigureAwait(false);
            return UsageExitCode;
        }
    }
}
