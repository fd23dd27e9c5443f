using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Edge.Deploy.Tests.TestKit;

/// <summary>
/// The service manager's side of sd_notify(3): a Unix datagram socket bound at <see cref="Path"/> (what systemd
/// passes as NOTIFY_SOCKET), collecting every message the gateway sends. Each datagram is one or more
/// newline-separated VAR=value assignments.
/// </summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiver;

    public NotifySocket(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _receiver = Task.Run(ReceiveAsync);
    }

    public string Path { get; }

    /// <summary>Every assignment received so far, in order.</summary>
    public List<string> Received { get; } = [];

    /// <summary>Waits for the next assignment equal to <paramref name="expected"/>; returns the assignments seen on the way.</summary>
    public async Task<List<string>> WaitFor(string expected, TimeSpan timeout)
    {
        var seen = new List<string>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _messages.Reader.WaitToReadAsync(cts.Token))
                while (_messages.Reader.TryRead(out string? m))
                {
                    seen.Add(m);
                    if (m == expected) return seen;
                }
        }
        catch (OperationCanceledException)
        {
        }
        throw new TimeoutException($"no {expected} within {timeout}; received: {string.Join(", ", Snapshot())}");
    }

    private List<string> Snapshot()
    {
        lock (Received) return [.. Received];
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                foreach (string line in Encoding.UTF8.GetString(buffer, 0, n).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    lock (Received) Received.Add(line);
                    _messages.Writer.TryWrite(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _receiver.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
