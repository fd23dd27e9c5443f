using System.IO.Hashing;

namespace Edge.Log.Format;

/// <summary>CRC-32C (Castagnoli, RFC 3720 §B.4), the checksum of every persisted structure; hardware-accelerated on x64 and arm64.</summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
}
