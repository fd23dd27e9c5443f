using System.Runtime.CompilerServices;

namespace Edge.Uplink.Tests.TestKit;

/// <summary>
/// Checked-in byte fixtures (Fixtures/*.hex beside this project's sources): hex text so a diff shows what changed.
/// Read from the source tree, where the repository's tests run.
/// </summary>
public static class Fixture
{
    public static string PathOf(string name, [CallerFilePath] string source = "") =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(source))!, "Fixtures", name);

    /// <summary>The bytes of a hex fixture; whitespace and lines starting with '#' are ignored.</summary>
    public static byte[] ReadHex(string name)
    {
        string path = PathOf(name);
        Assert.True(File.Exists(path), $"fixture {path} is missing");
        var hex = string.Concat(File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith('#')).SelectMany(l => l.Where(c => !char.IsWhiteSpace(c))));
        return Convert.FromHexString(hex);
    }

    /// <summary>Hex in lines of 32 bytes, as the fixtures are stored (printed when a fixture disagrees, to regenerate it).</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes)
    {
        var lines = new List<string>();
        for (int i = 0; i < bytes.Length; i += 32) lines.Add(Convert.ToHexString(bytes.Slice(i, Math.Min(32, bytes.Length - i))).ToLowerInvariant());
        return string.Join('\n', lines);
    }
}
