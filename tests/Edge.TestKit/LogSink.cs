using Microsoft.Extensions.Logging;

namespace Edge.TestKit;

/// <summary>
/// An <see cref="ILoggerFactory"/> that keeps every message the uplink logs, with its structured values, so tests can
/// assert what an operator would read and wait for a message instead of sleeping.
/// </summary>
public sealed class LogSink : ILoggerFactory
{
    private readonly List<LogEntry> _entries = [];
    private readonly SemaphoreSlim _added = new(0);

    public IReadOnlyList<LogEntry> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the sink is the only provider");

    /// <summary>Waits until a logged entry satisfies <paramref name="match"/> and returns it.</summary>
    public async Task<LogEntry> WaitFor(Func<LogEntry, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Entries.FirstOrDefault(match) is { } found) return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _added.WaitAsync(left))
                throw new TimeoutException($"no log message {what} within {timeout}; logged:\n{string.Join('\n', Entries.Select(e => e.ToString()))}");
        }
    }

    /// <summary>Counts entries matching <paramref name="match"/>.</summary>
    public int Count(Func<LogEntry, bool> match) => Entries.Count(match);

    private void Add(LogEntry entry)
    {
        lock (_entries) _entries.Add(entry);
        _added.Release();
    }

    public void Dispose() => _added.Dispose();

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            sink.Add(new LogEntry(logLevel, category, formatter(state, exception), values.ToDictionary(kv => kv.Key, kv => kv.Value)));
        }
    }
}

/// <summary>One logged message: level, category, the rendered text and its structured values ("Delay", "Attempt", ...).</summary>
public sealed record LogEntry(LogLevel Level, string Category, string Message, IReadOnlyDictionary<string, object?> Values)
{
    public override string ToString() => $"{Level} {Category}: {Message}";
}
