using Edge.Streams.Configuration;
using Microsoft.Extensions.Options;

namespace Edge.Streams.Hosting;

/// <summary>Checks the "Streams" section at start; messages name the key.</summary>
internal sealed class StreamsOptionsValidator : IValidateOptions<StreamsOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamsOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(o.AlertTopic) || o.AlertTopic.StartsWith('_')) errors.Add($"Streams:AlertTopic: '{o.AlertTopic}' must name a topic that is forwarded (not an internal '_' topic)");
        if (!o.CheckpointTopic.StartsWith('_')) errors.Add($"Streams:CheckpointTopic: '{o.CheckpointTopic}' must start with '_' (internal: never forwarded)");
        if (o.AllowedLateness < TimeSpan.Zero || o.AllowedLateness > TimeSpan.FromHours(1)) errors.Add("Streams:AllowedLateness: must be between 0 and 1 hour");
        if (o.IdleTimeout <= TimeSpan.Zero) errors.Add("Streams:IdleTimeout: must be positive");
        if (o.MaxFutureSkew <= TimeSpan.Zero) errors.Add("Streams:MaxFutureSkew: must be positive");
        if (o.CheckpointInterval <= TimeSpan.Zero) errors.Add("Streams:CheckpointInterval: must be positive");
        if (o.CheckpointEvery < 1) errors.Add("Streams:CheckpointEvery: must be at least 1");
        if (o.AlertPriority < 0) errors.Add("Streams:AlertPriority: must not be negative");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
