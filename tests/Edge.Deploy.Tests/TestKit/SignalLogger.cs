using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Edge.Deploy.Tests.TestKit;

/// <summary>A logger that writes its error lines ("error: ...") to a channel a test reads, in order with other events.</summary>
public sealed class SignalLogger<T>(ChannelWriter<string> events) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error) events.TryWrite("error: " + formatter(state, exception));
    }
}
