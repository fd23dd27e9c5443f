namespace Edge.Gateway.Startup;

/// <summary>Group names and this process's group membership, read from /etc/group and /proc/self/status.</summary>
public static class UnixGroups
{
    /// <summary>The name of group <paramref name="gid"/>, or its number when /etc/group does not list it.</summary>
    public static string Name(uint gid)
    {
        try
        {
            foreach (string line in File.ReadLines("/etc/group"))
            {
                string[] f = line.Split(':');
                if (f.Length >= 3 && uint.TryParse(f[2], out uint id) && id == gid) return f[0];
            }
        }
        catch (IOException)
        {
        }
        return gid.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True when this process has <paramref name="gid"/> as its effective or a supplementary group.</summary>
    public static bool IsMember(uint gid)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            // "Gid:\treal\teffective\tsaved\tfs" and "Groups:\tg1 g2 ..." (proc(5)).
            if (line.StartsWith("Gid:", StringComparison.Ordinal) && Ids(line).Skip(1).Take(1).Contains(gid)) return true;
            if (line.StartsWith("Groups:", StringComparison.Ordinal) && Ids(line).Contains(gid)) return true;
        }
        return false;
    }

    private static IEnumerable<uint> Ids(string line) =>
        line[(line.IndexOf(':') + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse);
}
