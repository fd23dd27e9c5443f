using Edge.Sensors.Configuration;
using Microsoft.Extensions.Logging;

namespace Edge.Sensors.Sampling;

/// <summary>
/// The sampling threads of a board: one, <see cref="SharedThreadName"/>, shared by its sensors (one wake-up per due
/// instant across them), and one of its own for each sensor whose type's read blocks (<see cref="SensorType.BlockingRead"/>),
/// so a read that sleeps on its device cannot delay the others. <see cref="Add"/> every sampler, then <see cref="RunAsync"/> once.
/// </summary>
public sealed class BoardSampler(TimeProvider time, ILogger log)
{
    public const string SharedThreadName = "edge-sampler";

    private readonly List<SamplingThread> _threads = [];
    private SamplingThread? _shared;

    /// <summary>Puts <paramref name="sampler"/> on its thread and returns that thread (its name is for the start-up log).</summary>
    public SamplingThread Add(SensorSampler sampler, SensorType type)
    {
        SamplingThread thread;
        if (type.BlockingRead)
        {
            thread = new SamplingThread($"{SharedThreadName}-{sampler.SensorId}", time, log);
            _threads.Add(thread);
        }
        else if (_shared is null)
        {
            thread = _shared = new SamplingThread(SharedThreadName, time, log);
            _threads.Add(thread);
        }
        else
        {
            thread = _shared;
        }
        thread.Add(sampler);
        return thread;
    }

    /// <summary>Runs every thread until <paramref name="stop"/> fires (<see cref="SamplingThread.RunAsync"/>: faulted if a sensor failed).</summary>
    public Task RunAsync(CancellationToken stop) => Task.WhenAll(_threads.Select(t => t.RunAsync(stop)).ToList());
}
