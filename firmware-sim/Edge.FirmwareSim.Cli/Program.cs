using Edge.FirmwareSim.Cli;

// firmware-sim: runs the real drivers on register models under a scenario, or simulates a fleet of remote nodes.
//   dotnet run --project firmware-sim/Edge.FirmwareSim.Cli -- scenarios
//   dotnet run --project firmware-sim/Edge.FirmwareSim.Cli -- run <scenario> [--seed 42] [--speed 60] [--duration 10m] [--format table|json]
//   dotnet run --project firmware-sim/Edge.FirmwareSim.Cli -- fleet --broker 127.0.0.1:1883 --gateway edge-dev --nodes 10 --rate 10 [--duration 30s] [--protocol 5|3.1.1]
//   dotnet run --project firmware-sim/Edge.FirmwareSim.Cli -- --help
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
return await FirmwareSimCli.InvokeAsync(args, Console.Out, Console.Error, cancel.Token);
