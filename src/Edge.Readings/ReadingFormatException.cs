namespace Edge.Readings;

/// <summary>Input that is not a valid reading; the message names the field and, for binary input, the byte offset.</summary>
public sealed class ReadingFormatException(string message) : FormatException(message);
