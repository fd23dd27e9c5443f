using System.Globalization;
using System.Text.Json.Nodes;

namespace Edge.Gateway.Cli;

/// <summary>The parsed command line of <see cref="QueryCommand"/>; the request JSON is built here.</summary>
public sealed class QueryArgs
{
    private static readonly string[] Ops = ["sensors", "latest", "range", "stats", "status"];

    public required JsonObject Request { get; init; }

    public string Host { get; private init; } = "127.0.0.1";

    public int Port { get; private init; }

    public string Gateway { get; private init; } = "";

    public string? Username { get; private init; }

    public string? Password { get; private init; }

    public TimeSpan Timeout { get; private init; } = TimeSpan.FromSeconds(5);

    public bool Json { get; private init; }

    public bool All { get; private init; }

    public static QueryArgs Parse(string[] args, IConfiguration configuration)
    {
        if (args.Length == 0 || !Ops.Contains(args[0])) throw new ArgumentException($"first argument must be one of {string.Join(", ", Ops)}");
        var request = new JsonObject { ["op"] = args[0] };
        string host = "127.0.0.1", gateway = configuration["Gateway:Id"] ?? "edge-dev";
        int port = int.TryParse(configuration["Broker:Port"], out int p) && p > 0 ? p : 1883;
        string? user = null, password = null;
        double timeout = 5;
        bool json = false, all = false;
        for (int i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            long Number() => long.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : throw new ArgumentException($"{args[i - 1]} needs a number, not '{args[i]}'");
            switch (args[i])
            {
                case "--sensor": request["sensor"] = Value(); break;
                case "--topic": request["topic"] = Value(); break;
                case "--partition": request["partition"] = Number(); break;
                case "--from": request["from"] = Time(Value()); break;
                case "--to": request["to"] = Time(Value()); break;
                case "--from-offset": request["fromOffset"] = Number(); break;
                case "--to-offset": request["toOffset"] = Number(); break;
                case "-n" or "--limit": request["limit"] = Number(); break;
                case "--window": request["window"] = Value(); break;
                case "--cursor": request["cursor"] = Value(); break;
                case "--all": all = true; break;
                case "--json": json = true; break;
                case "--host": host = Value(); break;
                case "--port": port = (int)Number(); break;
                case "--gateway": gateway = Value(); break;
                case "--username": user = Value(); break;
                case "--password": password = Value(); break;
                case "--timeout": timeout = Number(); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        return new QueryArgs
        {
            Request = request, Host = host, Port = port, Gateway = gateway, Username = user, Password = password,
            Timeout = TimeSpan.FromSeconds(Math.Max(1, timeout)), Json = json, All = all,
        };
    }

    // Unix milliseconds stay numbers; anything else is passed as the ISO 8601 string the gateway parses.
    private static JsonNode Time(string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms) ? JsonValue.Create(ms) : JsonValue.Create(value);
}
