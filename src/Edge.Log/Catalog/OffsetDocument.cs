namespace Edge.Log.Catalog;

/// <summary>A committed consumer offset (collection "offsets", _id = "group|topic|partition").</summary>
internal sealed class OffsetDocument
{
    public string Id { get; set; } = "";
    public string Group { get; set; } = "";
    public string Topic { get; set; } = "";
    public int Partition { get; set; }
    public long Offset { get; set; }
    public DateTime UpdatedUtc { get; set; }
}
