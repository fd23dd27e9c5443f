using Edge.Gateway.Configuration;
using Edge.Sensors.Configuration;
using Edge.Sensors.Hardware;

namespace Edge.Gateway.Startup;

/// <summary>
/// Checks the machine before the gateway opens its log or touches a bus, so a deployment problem is one clear line
/// in the journal instead of a stack trace or a sensor that stays degraded:
/// <list type="number">
/// <item>the log directory can be created and written by this user;</item>
/// <item>the disk can hold the configured log budget: refused when free space plus what the log already uses is
/// below <c>Log:DiskBudgetBytes</c>, because the log evicts only when it reaches its budget and would otherwise fill
/// the disk first (ENOSPC for every program on the Pi). <c>Log:DiskBudgetBytes=0</c> (no budget) skips it;</item>
/// <item>on real hardware, every I2C bus and GPIO chip a configured sensor uses opens read-write, with the reason
/// when it does not (missing node, group membership, the unit's DeviceAllow=).</item>
/// </list>
/// </summary>
public sealed class StartupChecks(LogSettings log, HardwareSettings hardware, IReadOnlyList<SensorSpec> sensors, ILogger logger)
{
    /// <summary>Runs every check; throws <see cref="StartupCheckException"/> listing all failures.</summary>
    public void Run()
    {
        var failures = new List<string>();
        string directory = log.ResolveDirectory();
        if (CheckWritable(directory, failures)) CheckDisk(directory, failures);
        var probe = new HardwareProbe(hardware.DeviceDirectory);
        // Real mode on a machine with no bus or chip at all is a configuration error, reported by SensorHardwareFactory.
        if (probe.UseRealHardware(hardware.Mode) && probe.I2cBuses.Count > 0 && probe.GpioChips.Count > 0) CheckDevices(probe, failures);
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
        if (log.DiskBudgetBytes <= 0) return;
        long free = new DriveInfo(directory).AvailableFreeSpace;
        long used = new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        if (free + used < log.DiskBudgetBytes)
        {
            failures.Add($"Log:DiskBudgetBytes is {Mib(log.DiskBudgetBytes)} but {directory} has only {Mib(free)} free " +
                $"(+ {Mib(used)} already used by the log): the disk would fill before the log evicts — lower Log:DiskBudgetBytes or free space");
        }
        else if (free + used < log.DiskBudgetBytes * 2)
        {
            logger.LogWarning("the log may use {Budget} of the {Free} free on {Directory}: little room is left for the rest of the system",
                Mib(log.DiskBudgetBytes), Mib(free + used), directory);
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

    private static string Mib(long bytes) => $"{bytes / 1048576.0:F0} MiB";
}
