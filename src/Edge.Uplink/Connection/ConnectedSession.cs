namespace Edge.Uplink.Connection;

/// <summary>One connection to the broker: <see cref="Lost"/> fires when it drops, so in-flight work of that session stops.</summary>
public sealed record ConnectedSession(int Epoch, CancellationToken Lost);
