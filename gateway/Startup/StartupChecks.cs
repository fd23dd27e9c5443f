using Edge.Local.Broker;
using Edge.Log;
using Edge.Log.Configuration;
using Edge.Sensors.Configuration;
using Edge.Sensors.Hardware;

namespace Edge.Gateway.Startup;

/// <summary>
/// Checks the machine before the gateway opens its log or touches a bus, so a deployment problem is one clear line
/// in the journal instead of a stack trace or a sensor that stays degraded:
/// <list type="number">
/// <item>the log directory can be created and written by this user;</item>
/// <item>the disk can hold a working log: refused only when free space plus what the log already uses, minus the
/// reserve (<c>Log:DiskReserveBytes</c>), is below two minimal segments per partition. A <c>Log:DiskBudgetBytes</c>
/// larger than the disk is no error — the log keeps to what the file system holds (FORMAT.md §7.3) — but is said;</item>
/// <item>on real hardware, every I2C bus and GPIO chip a configured sensor uses opens read-write, with the reason
/// when it does not (missing node, group membership, the unit's DeviceAllow=);</item>
/// <item>the embedded broker's ports are free (<see cref="BrokerPortCheck"/>).</item>
/// </list>
/// </summary>
public sealed class StartupChecks(LogSectionOptions log, HardwareOptions hardware, IReadOnlyList<SensorSpec> sensors, BrokerOptions broker, ILogger logger)
{
    /// <summary>Runs every check; throws <see cref="StartupCheckException"/> listing all failures.</summary>
    public void Run()
    {
        var failures = new List<string>();
        string directory = log.ResolveDirectory();
        if (CheckWritable(directory, failures)) CheckDisk(directory, failures);
        var probe = new HardwareProbe(hardware.DeviceDirectory);
        // Real mode on a machine with no bus or chip at all is a configuration error, reported by HardwareOptionsValidator.
        if (probe.UseRealHardware(hardware.Mode) && probe.I2cBuses.Count > 0 && probe.GpioChips.Count > 0) CheckDevices(probe, failures);
        BrokerPortCheck.Run(broker, failures);
        if (failures.Count > 0) throw new StartupCheckException(failures);
    }

    private static bool CheckWritable(string directory, List<string> failures)
    {
        string probe = Path.Combine(directory, $".write-check-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(directory);
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            string why = e is UnauthorizedAccessException ? "permission denied" : e.Message;
            failures.Add($"data directory {directory} is not writable by user {Environment.UserName}: {why} — " +
                "under systemd leave Log:Directory empty so StateDirectory= provides one owned by the service user, or fix the owner (chown)");
            return false;
        }
    }

    private void CheckDisk(string directory, List<string> failures)
    {
        var drive = new DriveInfo(directory);
        long free = drive.AvailableFreeSpace;
        long used = new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        long reserve = DiskCapacity.Reserve(log.ReserveBytes, drive.TotalSize);
        long holds = DiskCapacity.EffectiveBudget(0, used, free, reserve);
        // The gateway adds its internal topics (_sensors, dead letters) to the configured ones: count a few.
        int partitions = log.Topics.Values.Sum(t => Math.Max(1, t.Partitions)) + 4;
        long minimum = DiskCapacity.MinimumBudget(partitions);
        if (holds < minimum)
        {
            failures.Add($"{directory} can hold only {Mib(holds)} for the log ({Mib(free)} free + {Mib(used)} used by the log − {Mib(reserve)} reserve " +
                $"for the rest of the system), and {partitions} partitions need at least {Mib(minimum)} — free space, lower Log:DiskReserveBytes or move Log:Directory");
        }
        else if (log.BudgetBytes > holds)
        {
            logger.LogWarning("Log:DiskBudgetBytes is {Budget} but {Directory} can hold only {Holds} for the log ({Free} free, {Reserve} reserve): the log keeps to {Holds} and follows the disk as it fills or frees",
                Mib(log.BudgetBytes), directory, Mib(holds), Mib(free), Mib(reserve), Mib(holds));
        }
        else
        {
            logger.LogInformation("disk budget {Budget}: {Directory} has {Free} free, {Reserve} stay reserved for the rest of the system",
                log.BudgetBytes > 0 ? Mib(log.BudgetBytes) : $"auto (now {Mib(holds)})", directory, Mib(free), Mib(reserve));
        }
    }

    private void CheckDevices(HardwareProbe probe, List<string> failures)
    {
        // Node -> the sensors that need it, so a message says who is affected.
        var needs = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        void Need(string node, string sensor)
        {
            if (!needs.TryGetValue(node, out var list)) needs[node] = list = [];
            list.Add(sensor);
        }
        foreach (var s in sensors)
        {
            if (s.Type.Bus == SensorBus.I2c) Need(Path.Combine(hardware.DeviceDirectory, $"i2c-{s.Bus}"), s.Id);
            else foreach (string chip in probe.GpioChips) Need(chip, s.Id);
        }
        foreach (var (node, users) in needs)
        {
            int errno = UnixAccess.TryOpenReadWrite(node);
            if (errno != 0) failures.Add($"cannot open {node}: {Explain(node, errno)} (needed by {string.Join(", ", users)})");
        }
    }

    private string Explain(string node, int errno)
    {
        switch (errno)
        {
            case UnixAccess.ENOENT:
                return $"no such device — the bus is not enabled (raspi-config, dtparam=i2c_arm=on) or the sensor's Bus is wrong; present: {string.Join(", ", new HardwareProbe(hardware.DeviceDirectory).I2cBuses)}";
            case UnixAccess.EACCES:
                if (UnixAccess.GroupOf(node) is { } gid && !UnixGroups.IsMember(gid))
                    return $"permission denied — the service user ({Environment.UserName}) is not in group {UnixGroups.Name(gid)} (usermod -aG {UnixGroups.Name(gid)} {Environment.UserName}, or SupplementaryGroups= in the unit)";
                return "permission denied — check the node's mode and owner (udev rules)";
            case UnixAccess.EPERM:
                return "operation not permitted — the unit's DeviceAllow= (device cgroup) does not allow it";
            default:
                return UnixAccess.Describe(errno);
        }
    }

    private static string Mib(long bytes) => $"{bytes / 1048576.0:F1} MiB";
}
