using System.Globalization;
using System.Text.Json.Nodes;

namespace Edge.Gateway.Cli;

/// <summary>Prints a query reply as a readable table; returns the exit code (1 for an error reply).</summary>
public static class QueryPrinter
{
    public static int Print(JsonNode reply, bool header)
    {
        if (reply["ok"]?.GetValue<bool>() != true)
        {
            Console.Error.WriteLine($"error {reply["error"]?["code"]}: {reply["error"]?["message"]}");
            return 1;
        }
        switch (reply["op"]?.GetValue<string>())
        {
            case "sensors":
                Table(["ID", "TYPE", "KIND", "TOPIC", "SOURCE", "STATE", "READINGS", "LAST READING"],
                    reply["sensors"]!.AsArray().Select(s => new[] { S(s!["id"]), S(s!["type"]), S(s!["kind"]), S(s!["topic"]), S(s!["source"]), S(s!["state"]), S(s!["readings"]), S(s!["lastReadingAt"]) }));
                break;
            case "latest" or "range":
                Table(header ? ["TIME (UTC)", "SENSOR", "KIND", "QUALITY", "SEQ", "PARTITION/OFFSET", "VALUES"] : null,
                    reply["readings"]!.AsArray().Select(r => Row(r!)));
                if (reply["next"] is { } next) Console.Error.WriteLine($"more: --cursor {next}");
                if (reply["partial"]?.GetValue<bool>() == true)
                    Console.Error.WriteLine("partial: the search looked back Query:MaxScanPerPage records; older readings may exist (query a range with --from/--to)");
                break;
            case "stats":
                Table(["WINDOW START", "VALUE", "COUNT", "MIN", "MAX", "MEAN", "UNIT"], reply["windows"]!.AsArray().SelectMany(w =>
                    w!["values"]!.AsObject().Select(v => new[] { S(w["start"]), v.Key, S(v.Value!["count"]), N(v.Value["min"]), N(v.Value["max"]), N(v.Value["mean"]), S(v.Value["unit"]) })));
                break;
            case "rules":
                Table(["RULE", "TYPE", "DESCRIPTION", "MATCHED", "LATE", "RAISED KEYS"], reply["rules"]!.AsArray().Select(r =>
                    new[] { S(r!["name"]), S(r["type"]), S(r["description"]), S(r["matched"]), S(r["late"]), Keys(r["raisedKeys"]!) }));
                break;
            case "alerts":
                Table(header ? ["TIME (UTC)", "RULE", "KEY", "STATE", "EPISODE", "VALUES"] : null, reply["alerts"]!.AsArray().Select(a =>
                    new[] { S(a!["at"]), S(a["rule"]), S(a["key"]), S(a["state"]), S(a["episode"]), Values(a["values"]!) }));
                if (reply["next"] is { } more) Console.Error.WriteLine($"more: --cursor {more}");
                break;
            default:
                Console.WriteLine(reply["status"]?.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) ?? reply.ToJsonString());
                break;
        }
        return 0;
    }

    private static string[] Row(JsonNode r)
    {
        var reading = r["reading"]!;
        return [S(reading["ts"]), S(reading["sensor"]), S(reading["kind"]), S(reading["quality"]), S(reading["seq"]), $"{r["partition"]}/{r["offset"]}", Values(reading["values"]!)];
    }

    private static string Keys(JsonNode keys) => keys.AsArray().Count == 0 ? "-" : string.Join(",", keys.AsArray().Select(k => S(k)));

    private static string Values(JsonNode values) => string.Join(" ", values.AsArray().Select(v => $"{v!["name"]}={N(v["value"])}{v["unit"]}"));

    private static string S(JsonNode? n) => n?.ToString() ?? "-";

    private static string N(JsonNode? n) => n is null ? "-" : n.GetValue<double>().ToString("0.###", CultureInfo.InvariantCulture);

    private static void Table(string[]? header, IEnumerable<string[]> rows)
    {
        var all = (header is null ? rows : rows.Prepend(header)).ToList();
        if (all.Count == 0) return;
        var widths = Enumerable.Range(0, all[0].Length).Select(c => all.Max(r => r[c].Length)).ToArray();
        foreach (var row in all) Console.WriteLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
    }
}
