using System.Text.Unicode;

namespace Edge.Uplink.Payload;

/// <summary>
/// Identifies the readings of a message forever: gateway, log topic, partition and the offset range. A redelivery
/// after a reconnect or a crash carries the same key (or, for a re-split batch, a sub-range), so the cloud side drops
/// duplicates by reading identity (gateway, topic, partition, offset) — not by a high-water mark, since a resend after
/// a refusal can arrive after later messages (UPLINK.md §4).
/// </summary>
public readonly record struct IdempotencyKey(string Gateway, string Topic, int Partition, long First, long Last)
{
    /// <summary>A stack buffer that holds the UTF-8 key of any usual gateway and topic name.</summary>
    internal const int MaxStackUtf8 = 256;

    /// <summary>"gateway/topic/partition/first-last", e.g. "edge-dev/traffic/2/1200-1699".</summary>
    public override string ToString() => $"{Gateway}/{Topic}/{Partition}/{First}-{Last}";

    /// <summary>Writes <see cref="ToString"/> as UTF-8 without allocating; false when it does not fit.</summary>
    public bool TryFormatUtf8(Span<byte> destination, out int written) =>
        Utf8.TryWrite(destination, System.Globalization.CultureInfo.InvariantCulture, $"{Gateway}/{Topic}/{Partition}/{First}-{Last}", out written);
}
