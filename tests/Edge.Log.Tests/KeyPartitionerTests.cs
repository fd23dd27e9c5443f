using System.Text;

namespace Edge.Log.Tests;

public class KeyPartitionerTests
{
    // The vectors of Kafka's UtilsTest.testMurmur2: a key lands where Kafka's default partitioner puts it.
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_matches_Kafka(string key, int expected) =>
        Assert.Equal(expected, KeyPartitioner.Murmur2(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void A_sensor_always_maps_to_the_same_partition_within_range()
    {
        for (int i = 0; i < 1000; i++)
        {
            var key = Encoding.UTF8.GetBytes($"sensor-{i}");
            int p = KeyPartitioner.PartitionFor(key, 7);
            Assert.InRange(p, 0, 6);
            Assert.Equal(p, KeyPartitioner.PartitionFor(key, 7));
        }
        Assert.Equal((-973932308 & 0x7fffffff) % 4, KeyPartitioner.PartitionFor("21"u8, 4));
    }
}
