namespace Edge.FirmwareSim.Scenarios;

/// <summary>
/// Deterministic noise as a pure function of a seed and a key (splitmix64's finaliser), so the physics can be
/// evaluated at any time, from any thread, in any order, and a seed always reproduces a run. (HashCode and shared
/// Random instances would not: HashCode is randomised per process, Random depends on call order.)
/// </summary>
public static class Noise
{
    /// <summary>Uniform in [0, 1).</summary>
    public static double Uniform(long seed, long key, long channel = 0)
    {
        ulong z = (ulong)key ^ ((ulong)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)channel * 0xD1B54A32D192ED03UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return ((z ^ (z >> 31)) >> 11) / (double)(1UL << 53);
    }

    /// <summary>Standard normal (Box-Muller on two uniforms).</summary>
    public static double Gaussian(long seed, long key, long channel = 0) =>
        Math.Sqrt(-2 * Math.Log(1 - Uniform(seed, key, 2 * channel))) * Math.Cos(2 * Math.PI * Uniform(seed, key, 2 * channel + 1));
}
