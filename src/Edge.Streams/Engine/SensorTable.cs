using System.Text;

namespace Edge.Streams.Engine;

/// <summary>
/// The sensors the engine has seen, each once: its id as a string (made once, not per record), a small index that
/// rules keyed by sensor use to reach their state without hashing the id (<see cref="RuleEvaluator{TState}"/>), and
/// the layout of its last stored reading (<see cref="ReadingShape"/>). Entries are never removed: a gateway has a few
/// thousand sensors at most. Not thread-safe (the engine's one thread).
/// </summary>
internal sealed class SensorTable
{
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _byChars;

    public SensorTable() => _byChars = _byId.GetAlternateLookup<ReadOnlySpan<char>>();

    internal sealed class Entry(string id, int index)
    {
        public string Id { get; } = id;

        public int Index { get; } = index;

        /// <summary>The layout of this sensor's last stored reading; a sensor keeps one, so a match is one comparison.</summary>
        public ReadingShape? Shape { get; set; }
    }

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>One string object per text: kinds, names and units of every shape (the engine compares kinds by reference first).</summary>
    public string Intern(string s)
    {
        if (_strings.TryGetValue(s, out var known)) return known;
        _strings[s] = s;
        return s;
    }

    public Entry Get(string id)
    {
        if (!_byId.TryGetValue(id, out var e)) _byId[id] = e = new Entry(id, _byId.Count);
        return e;
    }

    /// <summary>
    /// The entry whose id is <paramref name="utf8"/>, or null. Only ids that were valid when added are in the table,
    /// so a hit also tells the caller the bytes are a valid sensor id (READINGS.md §1: ids are ASCII).
    /// </summary>
    public Entry? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > 64) return null;
        Span<char> chars = stackalloc char[64];
        if (Ascii.ToUtf16(utf8, chars, out int n) != System.Buffers.OperationStatus.Done) return null;
        return _byChars.TryGetValue(chars[..n], out var e) ? e : null;
    }
}
