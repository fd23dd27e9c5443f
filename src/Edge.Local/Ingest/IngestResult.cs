namespace Edge.Local.Ingest;

/// <summary>The outcome of one ingested payload; <see cref="Message"/> explains a refusal.</summary>
public readonly record struct IngestResult(IngestRefusal Refusal, string Message)
{
    public static IngestResult Stored { get; } = new(IngestRefusal.None, "stored");

    public bool Ok => Refusal == IngestRefusal.None;
}
