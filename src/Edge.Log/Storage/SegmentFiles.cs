using System.Globalization;
using Edge.Log.IO;

namespace Edge.Log.Storage;

/// <summary>File names inside a partition directory (FORMAT.md §2): 20-digit zero-padded base offset plus a suffix.</summary>
internal static class SegmentFiles
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";
    public const string CleanedSuffix = ".cleaned";
    public const string SwapSuffix = ".swap";
    public const string LeaseFile = "offset.lease";

    public static string Name(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    public static string LogPath(string dir, long baseOffset) => Path.Combine(dir, Name(baseOffset) + LogSuffix);

    public static string IndexPath(string dir, long baseOffset) => Path.Combine(dir, Name(baseOffset) + IndexSuffix);

    public static string TimeIndexPath(string dir, long baseOffset) => Path.Combine(dir, Name(baseOffset) + TimeIndexSuffix);

    /// <summary>Deletes both index files of a segment, where they exist (their segment file is being replaced).</summary>
    public static void DeleteIndexes(IFileSystem fs, string dir, long baseOffset)
    {
        foreach (var idx in new[] { IndexPath(dir, baseOffset), TimeIndexPath(dir, baseOffset) })
            if (fs.FileExists(idx)) fs.DeleteFile(idx);
    }

    /// <summary>Parses "00000000000000001234.log" style names; false for anything else.</summary>
    public static bool TryParse(string path, string suffix, out long baseOffset)
    {
        baseOffset = 0;
        string name = Path.GetFileName(path);
        if (!name.EndsWith(suffix, StringComparison.Ordinal)) return false;
        string stem = name[..^suffix.Length];
        return stem.Length == 20 && long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
