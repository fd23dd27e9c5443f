using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Edge.TestKit;

/// <summary>
/// A real Mosquitto broker (the Debian package) on a free loopback port, started by the test with its own config
/// and persistence directory, so a restart keeps queued QoS 1 messages like a production broker. Installs the
/// package with apt-get when it is missing and the tests run as root (CI machines start fresh).
/// </summary>
public sealed partial class Mosquitto : IDisposable
{
    private const string Binary = "/usr/sbin/mosquitto";
    private readonly string _dir;
    private readonly string _config;
    private readonly List<string> _output = [];
    private Process? _process;

    public Mosquitto(string directory, params string[] extraConfig)
        : this(directory, FreePort.Get(), true, extraConfig)
    {
    }

    /// <summary>
    /// A broker on <paramref name="port"/>; <paramref name="start"/> false only writes the config, so a test can first
    /// point the uplink at a closed port and <see cref="Start"/> the broker there later. <paramref name="extraConfig"/>
    /// lines follow the listener line, so listener settings (cafile, certfile, require_certificate) apply to it.
    /// </summary>
    public Mosquitto(string directory, int port, bool start, params string[] extraConfig)
    {
        EnsureInstalled();
        _dir = directory;
        Directory.CreateDirectory(_dir);
        Port = port;
        _config = Path.Combine(_dir, "mosquitto.conf");
        var lines = new List<string>
        {
            $"listener {Port} 127.0.0.1",
            "persistence true",
            $"persistence_location {_dir}/",
            "log_dest stderr", // stdout is block-buffered when not a terminal
            $"user {Environment.UserName}", // as root it would drop to user mosquitto and lose access to the directory
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "max_queued_messages 0",
            "max_inflight_messages 0",
            // Mosquitto 2.0 leaves Nagle's algorithm on by default; against the subscriber's delayed ACKs it can settle
            // into ~45 messages/s to a subscriber while the uplink publishes 250/s, and the crash test's subscriber fell
            // minutes behind a backlog that was delivered in full. Production brokers should set it too (UPLINK.md).
            "set_tcp_nodelay true",
        };
        lines.Add("allow_anonymous true");
        // A default the caller sets again (allow_anonymous false, persistence false for a benchmark) gives way to it.
        var overridden = extraConfig.Select(Key).ToHashSet(StringComparer.Ordinal);
        lines.RemoveAll(l => !l.StartsWith("listener ", StringComparison.Ordinal) && overridden.Contains(Key(l)));
        lines.AddRange(extraConfig);
        File.WriteAllLines(_config, lines);
        if (start) Start();
    }

    public int Port { get; }

    /// <summary>The broker's process id (0 when not running), for its CPU time and RSS in benchmarks.</summary>
    public int Pid => _process is { HasExited: false } p ? p.Id : 0;

    /// <summary>What the broker logged so far (every start), for assertions on why it refused something.</summary>
    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    public bool Running => _process is { HasExited: false };

    public void Start()
    {
        var start = new ProcessStartInfo(Binary, ["-c", _config]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = _output;
        _process = Process.Start(start)!;
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.Add(e.Data);
            if (e.Data.Contains(" running", StringComparison.Ordinal)) ready.TrySetResult();
        }
        _process.OutputDataReceived += OnLine;
        _process.ErrorDataReceived += OnLine;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("mosquitto exited: " + string.Join('\n', output)));
        _process.EnableRaisingEvents = true;
        if (!ready.Task.Wait(TimeSpan.FromSeconds(20))) throw new TimeoutException("mosquitto did not start: " + string.Join('\n', output));
    }

    /// <summary>
    /// SIGSTOP: the broker stops answering but its connections stay open (the kernel still accepts bytes), like a
    /// broker wedged under load or one that silently drops publishes. <see cref="Resume"/> lets it go on.
    /// </summary>
    public void Pause()
    {
        if (_process is { HasExited: false } p) _ = Kill(p.Id, 19);
    }

    public void Resume()
    {
        if (_process is { HasExited: false } p) _ = Kill(p.Id, 18);
    }

    /// <summary>Graceful stop (SIGTERM): the broker saves sessions and queued messages to its persistence file.</summary>
    public void Stop()
    {
        if (_process is null || _process.HasExited) return;
        Resume(); // a paused broker would hold the SIGTERM until the kill below
        _ = Kill(_process.Id, 15);
        if (!_process.WaitForExit(20_000)) _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>The Debian mosquitto package, installed when missing (see <see cref="Tool.RequireFiles"/>).</summary>
    public static void EnsureInstalled() => Tool.RequireFiles([Binary], "mosquitto");

    public void Dispose() => Stop();

    private static string Key(string configLine) => configLine.Split(' ', 2)[0];

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
