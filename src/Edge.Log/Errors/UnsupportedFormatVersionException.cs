namespace Edge.Log;

/// <summary>A structure carries a format version this build cannot read (written by a newer Edge).</summary>
public sealed class UnsupportedFormatVersionException : LogException
{
    public UnsupportedFormatVersionException(string file, long position, int version, int supported)
        : base($"{file} at byte {position} has format version {version}; this build reads version {supported}. Upgrade Edge to read this log.")
    {
        File = file;
        Version = version;
    }

    public string File { get; }

    public int Version { get; }
}
