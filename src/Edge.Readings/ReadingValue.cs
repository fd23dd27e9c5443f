namespace Edge.Readings;

/// <summary>One named measurement of a reading, e.g. ("bpm", 68, "bpm") or ("speed", 47.5, "km/h").</summary>
/// <param name="Name">1–32 characters of [a-z0-9_].</param>
/// <param name="Value">A finite number: readings are never invented, so NaN and infinities are refused.</param>
/// <param name="Unit">0–16 printable ASCII characters (UCUM-style: "Cel", "%", "mm", "km/h", "{vehicle}").</param>
public readonly record struct ReadingValue(string Name, double Value, string Unit);
