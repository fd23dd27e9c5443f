namespace Edge.Log;

/// <summary>Base of every error the log raises on purpose.</summary>
public class LogException : Exception
{
    public LogException(string message) : base(message) { }

    public LogException(string message, Exception inner) : base(message, inner) { }
}
