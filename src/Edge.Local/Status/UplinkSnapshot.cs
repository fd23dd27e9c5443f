namespace Edge.Local.Status;

/// <summary>
/// The uplink's state as the status message reports it (QUERY.md, "status"): <see cref="StatusWriter"/> writes it, the
/// gateway fills it from the running uplink. Buffer-only gateways have a <see cref="Reason"/> and no <see cref="Progress"/>.
/// </summary>
/// <param name="State">"buffer-only", or the connection state in lower case ("connected", "connecting", ...).</param>
/// <param name="Reason">Why there is no forwarding (buffer-only), or null.</param>
/// <param name="Progress">Forwarding counters when an upstream is configured, or null.</param>
public sealed record UplinkSnapshot(string State, string? Reason = null, UplinkProgress? Progress = null)
{
    public const string BufferOnlyState = "buffer-only";
}
