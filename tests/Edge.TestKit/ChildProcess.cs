using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Edge.TestKit;

/// <summary>
/// A child process whose stdout and stderr lines are collected, so tests wait on what it says rather than sleeping,
/// and which is signalled the way systemd (SIGTERM) and a crash or power cut (SIGKILL) would.
/// </summary>
public partial class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = [];
    private int _openStreams = 2;

    public ChildProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>Everything printed so far (stdout and stderr).</summary>
    public string Output
    {
        get { lock (_all) return string.Join('\n', _all); }
    }

    /// <summary>
    /// Waits for a line matching <paramref name="match"/>; fails with the output so far on timeout, or as soon as the
    /// process has closed its output (exited) without printing one.
    /// </summary>
    public async Task<string> WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cts.Token))
                while (_lines.Reader.TryRead(out string? line))
                    if (match(line)) return line;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching line within {timeout}; output:\n{Output}");
        }
        _process.WaitForExit();
        throw new InvalidOperationException($"the process exited with code {_process.ExitCode} without printing a matching line; output:\n{Output}");
    }

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the process did not exit within {timeout}; output:\n{Output}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as systemd does on stop.</summary>
    public void Terminate() => _ = Kill(_process.Id, 15);

    /// <summary>Sends SIGKILL: a crash or power cut of the process (no shutdown code runs) and waits for it to be gone.</summary>
    public void Crash()
    {
        _ = Kill(_process.Id, 9);
        _process.WaitForExit();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            // End of stdout or stderr: once both are closed no line can come, and waiters stop waiting.
            if (Interlocked.Decrement(ref _openStreams) == 0) _lines.Writer.TryComplete();
            return;
        }
        lock (_all) _all.Add(line);
        _lines.Writer.TryWrite(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        GC.SuppressFinalize(this);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
