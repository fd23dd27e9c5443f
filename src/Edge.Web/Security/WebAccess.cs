using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Edge.Local.Broker;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Edge.Web.Security;

/// <summary>
/// Who may see the dashboard and <c>/metrics</c>: the broker's rule for HTTP. A client on the device itself gets
/// Broker:LoopbackRole without an account; everyone else logs in with HTTP Basic (RFC 7617) as one of Broker:Users,
/// and the role must be reader or admin (a sensor account may only publish readings). Password checks go through the
/// broker's <see cref="LoginThrottle"/> (backoff after failures, bounded concurrency), and a verified credential is
/// remembered for a few minutes so a page load or a 15 s scrape does not cost a PBKDF2 check per request.
/// Thread-safe.
/// </summary>
public sealed class WebAccess(BrokerOptions broker, TimeProvider time, ILogger logger)
{
    // Long enough that a scrape every 15 s or a page's assets cost one hash check; short enough that a changed
    // password (which needs a restart anyway: Broker:Users is read at start) is not a concern.
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(5);

    private readonly LoginThrottle _throttle = new(broker, time);
    private readonly ConcurrentDictionary<string, (byte[] Digest, DateTimeOffset Until)> _verified = new(StringComparer.Ordinal);

    /// <summary>Null when the request may go on; else the status and reason to answer it with.</summary>
    public async Task<(int Status, string Reason)?> RefusalAsync(HttpContext context)
    {
        var address = Normalise(context.Connection.RemoteIpAddress);
        string? header = context.Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            if (IPAddress.IsLoopback(address) && broker.LoopbackRole >= BrokerRole.Reader) return null;
            return (StatusCodes.Status401Unauthorized, "log in with an account from Broker:Users (role reader or admin)");
        }
        if (!TryParseBasic(header, out string user, out string password))
            return (StatusCodes.Status401Unauthorized, "the Authorization header is not HTTP Basic (RFC 7617)");
        if (_throttle.Blocked(address) is { } wait)
            return (StatusCodes.Status429TooManyRequests, $"too many failed logins from {address}; retry in {Math.Ceiling(wait.TotalSeconds)} s (Broker:LoginBackoff)");
        var account = broker.Users.GetValueOrDefault(user);
        if (!await VerifiedAsync(user, password, account, context.RequestAborted).ConfigureAwait(false))
        {
            _throttle.Failed(address);
            logger.LogWarning("web: refused {Path} from {Address}: unknown user or wrong password (user '{User}')", context.Request.Path, address, user);
            return (StatusCodes.Status401Unauthorized, "unknown user or wrong password");
        }
        _throttle.Succeeded(address);
        if (account!.Role < BrokerRole.Reader)
            return (StatusCodes.Status403Forbidden, $"role {account.Role.ToString().ToLowerInvariant()} may not read; the dashboard and /metrics need reader or admin");
        return null;
    }

    private async Task<bool> VerifiedAsync(string user, string password, BrokerUser? account, CancellationToken ct)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(user + "\0" + password));
        if (account is not null && _verified.TryGetValue(user, out var known) && known.Until > time.GetUtcNow()
            && CryptographicOperations.FixedTimeEquals(known.Digest, digest))
            return true;
        // Unknown users cost a hash check too, so the answer's timing does not tell which user names exist.
        bool? ok = await _throttle.CheckAsync(() => PasswordHash.Verify(password, account?.PasswordHash ?? PasswordHash.Decoy) && account is not null, ct).ConfigureAwait(false);
        if (ok != true) return false;
        _verified[user] = (digest, time.GetUtcNow() + Remember);
        return true;
    }

    private static bool TryParseBasic(string header, out string user, out string password)
    {
        user = password = "";
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) return false;
            (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static IPAddress Normalise(IPAddress? a) => a is null ? IPAddress.None : a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
}
