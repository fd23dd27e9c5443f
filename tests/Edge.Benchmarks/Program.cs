using Edge.Benchmarks;

// Benchmarks print one JSON line per run (the anchors' schema, group "project"), so the rows land in the anchors'
// table: dotnet run -c Release --project tests/Edge.Benchmarks -- <scenario> --seconds N --out results.jsonl
// (--help lists the scenarios and options; BENCHMARKS.md says what each measures).
return await BenchCli.InvokeAsync(args);
