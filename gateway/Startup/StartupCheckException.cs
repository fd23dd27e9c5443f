namespace Edge.Gateway.Startup;

/// <summary>
/// A start-up check failed (data directory, disk, device permissions): the machine, not the configuration, needs
/// fixing. The message says what and how; the gateway prints it and exits 3 (see deploy/systemd/edge-gateway.service,
/// which does not restart on it: restarting cannot fix a missing group membership or a full disk).
/// </summary>
public sealed class StartupCheckException(IReadOnlyList<string> failures) : StartupException("start-up check failed", failures)
{
    public const int Code = 3;

    public override int ExitCode => Code;
}
