namespace Edge.Uplink.Connection;

public enum UplinkState
{
    /// <summary>No upstream configured: readings stay in the log, nothing is marked delivered.</summary>
    BufferOnly,

    Connecting,

    Connected,

    /// <summary>The last attempt failed; waiting (exponential backoff with jitter) before the next.</summary>
    WaitingToReconnect,

    Stopped,
}
