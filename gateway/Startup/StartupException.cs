namespace Edge.Gateway.Startup;

/// <summary>
/// The gateway cannot start, for a reason an operator must fix; it prints <see cref="Headline"/> and the
/// <see cref="Failures"/> (no stack trace: each failure already says what and where) and exits with
/// <see cref="ExitCode"/>, which deploy/systemd/edge-gateway.service uses to decide whether a restart can help.
/// </summary>
public abstract class StartupException(string headline, IReadOnlyList<string> failures)
    : Exception(headline + ":" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", failures))
{
    public string Headline { get; } = headline;

    public IReadOnlyList<string> Failures { get; } = failures;

    /// <summary>The process exit code for this failure.</summary>
    public abstract int ExitCode { get; }
}
