namespace Edge.Log;

/// <summary>
/// The default partitioner: murmur2 of the key bytes, made positive, modulo the partition count — exactly Kafka's
/// DefaultPartitioner for keyed records (org.apache.kafka.common.utils.Utils.murmur2 with seed 0x9747b28c), so a key
/// lands in the same partition on every run, platform and in a Kafka topic with the same partition count.
/// </summary>
public static class KeyPartitioner
{
    public static int PartitionFor(ReadOnlySpan<byte> key, int partitions) => (Murmur2(key) & 0x7fffffff) % partitions;

    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        int length = data.Length;
        uint h = 0x9747b28c ^ (uint)length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++)
        {
            int i4 = i * 4;
            uint k = data[i4] | ((uint)data[i4 + 1] << 8) | ((uint)data[i4 + 2] << 16) | ((uint)data[i4 + 3] << 24);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = length & ~3;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= m;
                break;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }
}
