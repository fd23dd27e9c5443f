using System.Security.Cryptography;
using System.Text;

namespace Edge.Local.Broker;

/// <summary>
/// Broker passwords are stored as PBKDF2-HMAC-SHA256 (NIST SP 800-132; OWASP's 2023 guidance is 600,000 iterations
/// for SHA-256 — we use 100,000 because a Pi Zero checks a login in ~1 s at 600k and logins are rare but not free),
/// as "pbkdf2-sha256$&lt;iterations&gt;$&lt;base64 salt&gt;$&lt;base64 hash&gt;", so configuration files never hold a
/// password. Verification is constant-time.
/// </summary>
public static class PasswordHash
{
    private const string Scheme = "pbkdf2-sha256";
    private const int Iterations = 100_000;

    /// <summary>A hash no password is known for: checked against for unknown user names, so they cost as much as known ones.</summary>
    public static string Decoy { get; } = Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool IsWellFormed(string? stored) => TryParse(stored, out _, out _, out _);

    public static bool Verify(string password, string stored)
    {
        if (!TryParse(stored, out int iterations, out var salt, out var expected)) return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string? stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = stored?.Split('$');
        if (parts is not [Scheme, var it, var s, var h] || !int.TryParse(it, out iterations) || iterations < 1000) return false;
        try
        {
            salt = Convert.FromBase64String(s);
            hash = Convert.FromBase64String(h);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length >= 8 && hash.Length >= 16;
    }
}
