using System.Globalization;

namespace Edge.Benchmarks;

/// <summary>
/// CPU time of a process and of its threads by name, from /proc/&lt;pid&gt;/task/*/stat (utime + stime, proc(5)), in
/// clock ticks; thread names come from the comm field (the first 15 bytes of the managed thread's name on Linux).
/// </summary>
internal sealed class ThreadCpu
{
    /// <summary>USER_HZ: /proc reports CPU time in 1/100 s on every Linux architecture the gateway targets.</summary>
    public const double TicksPerSecond = 100;

    private readonly Dictionary<int, (string Name, long Ticks)> _threads = [];

    public long Total { get; private set; }

    public static ThreadCpu Read(int pid)
    {
        var cpu = new ThreadCpu { Total = Ticks(File.ReadAllText($"/proc/{pid}/stat")).Ticks };
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var (name, ticks) = Ticks(File.ReadAllText(Path.Combine(task, "stat")));
                cpu._threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (name, ticks);
            }
            catch (IOException) { } // the thread ended between listing and reading: its time is in the process total
        }
        return cpu;
    }

    /// <summary>Ticks spent since <paramref name="before"/> by threads whose name starts with <paramref name="prefix"/>.</summary>
    public long Since(ThreadCpu before, string prefix)
    {
        long sum = 0;
        foreach (var (tid, (name, ticks)) in _threads)
            if (name.StartsWith(prefix, StringComparison.Ordinal))
                sum += ticks - (before._threads.TryGetValue(tid, out var b) ? b.Ticks : 0);
        return sum;
    }

    /// <summary>Ticks spent since <paramref name="before"/> per thread name (threads of one name summed), largest first.</summary>
    public List<(string Name, long Ticks)> ByName(ThreadCpu before) =>
        [.. _threads.GroupBy(t => t.Value.Name, t => t.Value.Ticks - (before._threads.TryGetValue(t.Key, out var b) ? b.Ticks : 0))
            .Select(g => (g.Key, g.Sum())).Where(t => t.Item2 > 0).OrderByDescending(t => t.Item2)];

    // The comm field is in parentheses and may contain spaces (".NET TP Worker"): fields are counted after the last ')'.
    private static (string Name, long Ticks) Ticks(string stat)
    {
        int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
        string[] f = stat[(close + 2)..].Split(' ');
        // After the comm: state is field 3 of proc(5), so utime (14) and stime (15) are at 11 and 12 here.
        return (stat[(open + 1)..close], long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture));
    }
}
