namespace Edge.Uplink;

/// <summary>
/// Limits on the uplink's send rate ("Uplink:CatchUp"), so that draining hours of backlog after an outage does not
/// saturate a cellular link the site also needs. 0 means unlimited.
/// </summary>
public sealed class CatchUpOptions
{
    public double ReadingsPerSecond { get; set; }

    public double BytesPerSecond { get; set; }
}
