namespace Edge.Local.Ingest;

/// <summary>Which remote sensors may ingest.</summary>
public enum IngestPolicy
{
    /// <summary>Any well-formed sensor id is registered on its first valid reading (the default, for fleets).</summary>
    AutoRegister,

    /// <summary>Only ids listed in Ingest:Sensors are accepted; others are refused as not authorised.</summary>
    KnownOnly,
}
