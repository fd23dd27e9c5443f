namespace Edge.Log;

/// <summary>A consumer acted on a partition its group reassigned to another member.</summary>
public sealed class RebalanceException(string message) : LogException(message);
