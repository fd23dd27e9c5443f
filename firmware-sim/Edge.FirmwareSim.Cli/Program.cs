using Edge.FirmwareSim.Cli;
using Edge.FirmwareSim.Scenarios;

// firmware-sim: runs the real drivers on register models under a scenario, or simulates a fleet of remote nodes.
//   dotnet run --project firmware-sim/Edge.FirmwareSim.Cli -- scenarios
//   dotnet run --project firmware-sim/Edge.FirmwareSim.Cli -- run <scenario> [--seed 42] [--speed 60] [--duration 10m] [--format table|json]
//   dotnet run --project firmware-sim/Edge.FirmwareSim.Cli -- fleet --broker 127.0.0.1:1883 --gateway edge-dev --nodes 10 --rate 10 [--duration 30s] [--protocol 5|3.1.1]
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var cli = new CliArgs(args);
try
{
    switch (cli.Positional.FirstOrDefault())
    {
        case "run":
            return await RunCommand.RunAsync(cli, Console.Out, cancel.Token);
        case "fleet":
            return await FleetCommand.RunAsync(cli, Console.Out, cancel.Token);
        case "scenarios":
            foreach (var s in ScenarioCatalog.All) Console.WriteLine($"{s.Name,-16} {s.Description}");
            return 0;
        default:
            Console.Error.WriteLine("usage: firmware-sim scenarios | run <scenario> [--seed N] [--speed X] [--duration D] [--format table|json] | fleet --broker host:port [--gateway id] [--nodes N] [--rate R] [--duration D]");
            return 2;
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"firmware-sim: {e.Message}");
    return 2;
}
