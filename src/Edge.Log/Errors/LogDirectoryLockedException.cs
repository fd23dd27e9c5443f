namespace Edge.Log;

/// <summary>Another process (or another <see cref="EdgeLog"/> in this one) already has the log directory open.</summary>
public sealed class LogDirectoryLockedException : LogException
{
    public LogDirectoryLockedException(string directory, string? holder, Exception inner)
        : base($"log directory {directory} is locked by another process{(holder is null ? "" : $" (pid {holder})")}; only one gateway may open a log at a time", inner)
        => Directory = directory;

    public string Directory { get; }
}
