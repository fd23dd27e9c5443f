using Microsoft.Extensions.Logging;

namespace Edge.Sensors.Sampling;

/// <summary>
/// One dedicated, named thread that samples a set of sensors: it sleeps until the earliest tick due across them, then
/// runs every due sensor's tick inline, so sensors due at the same instant (their intervals count from the same start:
/// 8 ms and 20 ms meet every 40 ms) cost one wake-up. A periodic timer per sensor cost a wake-up of the runtime's timer
/// thread plus a hop to the thread pool per sensor and tick, ~300 a second with the shipped sensors: most of the
/// gateway's CPU at rest (tests/Edge.Benchmarks/BENCHMARKS.md "Footprint at rest").
/// <para>
/// Ticks never wait (<see cref="SensorSampler"/>: a full <see cref="SensorOverflow.Block"/> queue skips the tick), so
/// one sensor's tick delays the others only by its bus transaction. A device whose read waits for long (the HC-SR04
/// sleeps on its echo, <see cref="Configuration.SensorType.BlockingRead"/>) gets a thread of its own. A sensor
/// that throws <see cref="IOException"/> backs off in its own ticks; one that throws anything else (a driver bug) is
/// logged, its channel completed and it is no longer sampled, and the others go on; <see cref="RunAsync"/> then ends
/// faulted with that exception once stopped, as the sensor's own sampling task did before.
/// </para>
/// <para>
/// On <see cref="TimeProvider.System"/> the thread waits on an event with a timeout until the next tick (monotonic
/// clock, so a step of the wall clock cannot stall sampling); on any other provider (tests' fake time, firmware-sim's
/// virtual clock) it is woken by a one-shot timer of that provider. Stopping sets the same event: the thread leaves
/// between two ticks, and every sensor's channel is completed. <see cref="Add"/> before <see cref="RunAsync"/>; one run.
/// </para>
/// </summary>
public sealed class SamplingThread(string name, TimeProvider time, ILogger log)
{
    private readonly List<SensorSampler> _samplers = [];
    // Set by the timer, by stop, never disposed: with no WaitHandle asked of it, it holds no kernel object, and a
    // timer callback racing the end of the run must not meet a disposed event.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly List<Exception> _failures = [];
    private int _started;
    private long _rounds;

    public string Name => name;

    /// <summary>Passes that ran at least one tick: one per wake-up when nothing runs late (tests count them).</summary>
    internal long Rounds => Interlocked.Read(ref _rounds);

    public void Add(SensorSampler sampler)
    {
        if (Volatile.Read(ref _started) != 0) throw new InvalidOperationException($"sampling thread {name} is running: add sensors before it starts");
        _samplers.Add(sampler);
    }

    /// <summary>
    /// Starts the thread; the task completes once <paramref name="stop"/> has fired and every sensor's channel is
    /// completed (or earlier, when every sensor failed), faulted with the exceptions of sensors that failed.
    /// </summary>
    public Task RunAsync(CancellationToken stop)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException($"sampling thread {name} runs once");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The schedule counts from now, not from when the thread first runs: a tick due one interval after this call
        // is due then, however late the thread is scheduled.
        long start = time.GetTimestamp();
        // A thread of our own rather than a long-running task: named (thread listings, the footprint benchmark's
        // per-thread CPU), and a background thread, so a stuck device read cannot hold the process at exit.
        var thread = new Thread(() => Run(start, stop, done)) { Name = name, IsBackground = true };
        thread.Start();
        return done.Task;
    }

    private void Run(long start, CancellationToken stop, TaskCompletionSource done)
    {
        try
        {
            using var registration = stop.UnsafeRegister(static s => ((ManualResetEventSlim)s!).Set(), _wake);
            using var timer = ReferenceEquals(time, TimeProvider.System) ? null
                : time.CreateTimer(static s => ((ManualResetEventSlim)s!).Set(), _wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Loop(start, timer, stop);
        }
        catch (Exception e)
        {
            log.LogError(e, "sampling thread {Thread} failed; its sensors are no longer sampled", name);
            _failures.Add(e);
        }
        foreach (var s in _samplers) s.Complete();
        if (_failures.Count == 0) done.TrySetResult();
        else done.TrySetException(_failures);
    }

    private void Loop(long start, ITimer? timer, CancellationToken stop)
    {
        var active = new List<SensorSampler>(_samplers);
        while (true)
        {
            _wake.Reset(); // before the clock is read: a wake-up from here on is not lost
            if (stop.IsCancellationRequested || active.Count == 0) return;
            var next = RunDue(active, time.GetElapsedTime(start), stop);
            var elapsed = time.GetElapsedTime(start);
            if (next <= elapsed) continue; // a tick fell due while others ran
            if (timer is null)
            {
                // Rounded up: waking a fraction of a millisecond early would cost a second wake-up for nothing.
                _wake.Wait((int)Math.Min(Math.Ceiling((next - elapsed).TotalMilliseconds), int.MaxValue));
                continue;
            }
            timer.Change(next - elapsed, Timeout.InfiniteTimeSpan);
            // The provider's time may have moved between reading it and arming the timer (a test stepping fake time):
            // the timer then counts from the later time, so check again rather than wait for a tick already due.
            if (time.GetElapsedTime(start) < next) _wake.Wait();
        }
    }

    // Runs every tick due at `elapsed` in the order the sensors were added; returns when the next one falls due.
    private TimeSpan RunDue(List<SensorSampler> active, TimeSpan elapsed, CancellationToken stop)
    {
        var next = TimeSpan.MaxValue;
        bool ran = false;
        for (int i = 0; i < active.Count; i++)
        {
            var sampler = active[i];
            if (sampler.NextDue <= elapsed && !stop.IsCancellationRequested)
            {
                if (!ran) Interlocked.Increment(ref _rounds); // counted before the first tick's event, for tests that wait on it
                ran = true;
                try
                {
                    // The round's time for every sensor: after a slow tick, the next round (at once) counts what was missed.
                    sampler.Tick(elapsed);
                }
                catch (Exception e)
                {
                    sampler.Fail(e);
                    _failures.Add(e);
                    active.RemoveAt(i--);
                    continue;
                }
            }
            if (sampler.NextDue < next) next = sampler.NextDue;
        }
        return next;
    }
}
