using System.Net;
using System.Text;
using System.Threading.Channels;

namespace Edge.Web.Tests.TestKit;

/// <summary>
/// A local OTLP/HTTP metrics receiver (POST /v1/metrics, protobuf; OTLP specification "OTLP/HTTP"), in place of an
/// OpenTelemetry Collector: it answers 200 with an empty ExportMetricsServiceResponse and hands each request's metric
/// names and resource attributes to the test, decoded from the protobuf wire format.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<(HashSet<string> Metrics, Dictionary<string, string> Resource)> _exports = Channel.CreateUnbounded<(HashSet<string>, Dictionary<string, string>)>();

    public OtlpReceiver()
    {
        Port = FreePort.Get();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}/v1/metrics";

    public ChannelReader<(HashSet<string> Metrics, Dictionary<string, string> Resource)> Exports => _exports.Reader;

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            bool ok = context.Request.HttpMethod == "POST" && context.Request.Url?.AbsolutePath == "/v1/metrics" && context.Request.ContentType == "application/x-protobuf";
            if (ok) _exports.Writer.TryWrite(Decode(body.ToArray()));
            context.Response.StatusCode = ok ? 200 : 400;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    // ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
    // ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; }
    // Resource { repeated KeyValue attributes = 1; }  KeyValue { string key = 1; AnyValue value = 2; }  AnyValue { string string_value = 1; }
    // ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; }  Metric { string name = 1; ... }
    private static (HashSet<string>, Dictionary<string, string>) Decode(byte[] request)
    {
        var metrics = new HashSet<string>(StringComparer.Ordinal);
        var resource = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rm in Fields(request, 1))
        {
            foreach (var r in Fields(rm, 1))
                foreach (var kv in Fields(r, 1))
                {
                    string key = Encoding.UTF8.GetString(Fields(kv, 1).FirstOrDefault() ?? []);
                    var value = Fields(kv, 2).FirstOrDefault();
                    if (value is not null && Fields(value, 1).FirstOrDefault() is { } s) resource[key] = Encoding.UTF8.GetString(s);
                }
            foreach (var sm in Fields(rm, 2))
                foreach (var m in Fields(sm, 2))
                    if (Fields(m, 1).FirstOrDefault() is { } name) metrics.Add(Encoding.UTF8.GetString(name));
        }
        return (metrics, resource);
    }

    /// <summary>The length-delimited fields numbered <paramref name="number"/> of one protobuf message (wire type 2), skipping the others.</summary>
    private static IEnumerable<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        int i = 0;
        while (i < message.Length)
        {
            ulong tag = Varint(message, ref i);
            int field = (int)(tag >> 3), wire = (int)(tag & 7);
            switch (wire)
            {
                case 0: Varint(message, ref i); break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                case 2:
                    int length = (int)Varint(message, ref i);
                    if (field == number) found.Add(message[i..(i + length)]);
                    i += length;
                    break;
                default: throw new InvalidDataException($"protobuf wire type {wire} at byte {i}");
            }
        }
        return found;
    }

    private static ulong Varint(byte[] b, ref int i)
    {
        ulong v = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte x = b[i++];
            v |= (ulong)(x & 0x7F) << shift;
            if (x < 0x80) return v;
        }
    }

    public void Dispose() => _listener.Close();
}
