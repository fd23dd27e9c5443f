namespace Edge.Local.Live;

/// <summary>A live reading ready to publish.</summary>
public readonly record struct LiveMessage(string Topic, byte[] Payload);
