using Edge.FirmwareSim.Synthetic;
using Edge.Readings;

// firmware-sim CLI: prints synthetic readings as JSON lines.
//   dotnet run --project firmware-sim -- [count] [seed]
int count = args.Length > 0 && int.TryParse(args[0], out int c) && c > 0 ? c : 10;
int seed = args.Length > 1 && int.TryParse(args[1], out int s) ? s : 42;
var fleet = new SyntheticFleet(seed);
var now = DateTimeOffset.UtcNow;
for (int i = 0; i < count; i++)
    Console.WriteLine(ReadingJsonCodec.Encode(fleet.Next(i, now.AddMilliseconds(i * 100))));
return 0;
