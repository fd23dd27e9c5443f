using System.Collections.Concurrent;
using System.IO.Compression;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Edge.Web.Hosting;

/// <summary>
/// The dashboard's files (wwwroot/ in this assembly's resources): nothing is read from disk or fetched from elsewhere,
/// so a site without internet gets the whole page. Each file is loaded and gzip-compressed once, on its first request
/// (a Pi then sends mqtt.js as ~100 KB rather than ~370 KB, without compressing per request), and revalidated by ETag.
/// Thread-safe.
/// </summary>
public sealed class EmbeddedAssets
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    };

    private readonly Assembly _assembly = typeof(EmbeddedAssets).Assembly;
    private readonly HashSet<string> _names;
    private readonly string _etag;
    private readonly ConcurrentDictionary<string, Lazy<(byte[] Raw, byte[] Gzip)>> _loaded = new(StringComparer.Ordinal);

    public EmbeddedAssets()
    {
        _names = _assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        // The files change only with the assembly, so its module version id is a strong validator for all of them.
        _etag = $"\"{_assembly.ManifestModule.ModuleVersionId:N}\"";
    }

    /// <summary>Paths served, such as <c>/index.html</c>.</summary>
    public IEnumerable<string> Paths => _names.Select(n => n["wwwroot".Length..]);

    /// <summary>Serves <paramref name="path"/> (<c>/</c> is <c>/index.html</c>); false when there is no such file.</summary>
    public async Task<bool> TryServeAsync(HttpContext context, string path)
    {
        string name = "wwwroot" + (path == "/" ? "/index.html" : path);
        if (!_names.Contains(name)) return false;
        var response = context.Response;
        response.Headers.ETag = _etag;
        response.Headers.CacheControl = "no-cache"; // revalidate: a 304 costs nothing, and an upgraded gateway's page is never stale
        response.Headers.XContentTypeOptions = "nosniff";
        // Scripts and styles from this origin only (every file ships here); the MQTT WebSocket is the same origin.
        response.Headers.ContentSecurityPolicy = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'";
        if (context.Request.Headers.IfNoneMatch == _etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return true;
        }
        var (raw, gzip) = _loaded.GetOrAdd(name, n => new Lazy<(byte[], byte[])>(() => Load(n))).Value;
        response.ContentType = Types.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
        response.Headers.Vary = "Accept-Encoding";
        bool compressed = context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase) && gzip.Length < raw.Length;
        if (compressed) response.Headers.ContentEncoding = "gzip";
        byte[] body = compressed ? gzip : raw;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        return true;
    }

    private (byte[], byte[]) Load(string name)
    {
        using var stream = _assembly.GetManifestResourceStream(name)!;
        using var raw = new MemoryStream();
        stream.CopyTo(raw);
        using var packed = new MemoryStream();
        using (var gz = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true)) gz.Write(raw.GetBuffer(), 0, (int)raw.Length);
        return (raw.ToArray(), packed.ToArray());
    }
}
