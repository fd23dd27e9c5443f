using Edge.Benchmarks;

// Benchmarks print one JSON line per run (the ../shared/anchors schema, group "project"), so the rows land in the
// anchors' table: dotnet run -c Release --project tests/Edge.Benchmarks -- <scenario> --seconds N --out results.jsonl
if (args is ["log-recovery-child", var childDir])
{
    await LogRecovery.ChildAsync(childDir);
    return 0;
}
try
{
    var opt = BenchOptions.Parse(args);
    Directory.CreateDirectory(opt.Dir);
    if (opt.Scenario is "uplink-drain" or "wire-bytes" or "footprint" or "write-amplification")
    {
        // One line per payload format (footprint: per case; write-amplification: per ingest rate).
        var results = opt.Scenario switch
        {
            "uplink-drain" => await UplinkDrain.RunAsync(opt),
            "wire-bytes" => WireBytes.Run(opt),
            "footprint" => await Footprint.RunAsync(opt),
            _ => await WriteAmplification.RunAsync(opt),
        };
        foreach (var r in results) r.Write(opt.Out);
        return 0;
    }
    var result = opt.Scenario switch
    {
        "log-append" => await LogAppend.RunAsync(opt),
        "log-read" => await LogRead.RunAsync(opt),
        "log-recovery" => await LogRecovery.RunAsync(opt),
        "offset-commit" => await OffsetCommit.RunLiteDbAsync(opt),
        "offset-commit-file" => OffsetCommit.RunFile(opt),
        "sensor-sampling" => await SensorSampling.RunAsync(opt),
        "query-latency" => await QueryLatency.RunAsync(opt),
        "ingest" => await IngestBench.RunAsync(opt),
        "backlog-rss" => await BacklogRss.RunAsync(opt),
        "e2e-latency" => await E2eLatency.RunAsync(opt),
        _ => throw new ArgumentException($"unknown scenario '{opt.Scenario}'; known: log-append, log-read, log-recovery, offset-commit, offset-commit-file, sensor-sampling, query-latency, ingest, backlog-rss, e2e-latency, uplink-drain, wire-bytes, write-amplification"),
    };
    result.Write(opt.Out);
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
