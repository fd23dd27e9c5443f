using Edge.Log.IO;
using Microsoft.Extensions.Logging;

namespace Edge.Log.Storage;

/// <summary>Who a partition is and what it runs on: shared, read-only, by its writer, reader and recovery.</summary>
internal sealed record PartitionContext(string Topic, int Id, TopicConfig Config, string Directory, LogOptions Options,
    IFileSystem FileSystem, TimeProvider Time, ILogger Log, LogMetrics Metrics);
