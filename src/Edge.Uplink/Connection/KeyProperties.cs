using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using Edge.Uplink.Payload;
using MQTTnet.Packets;

namespace Edge.Uplink.Connection;

/// <summary>
/// The six edge-* MQTT 5 user properties of a message (UPLINK.md §4), built with one allocation per message: the
/// gateway, topic and partition values are encoded once per partition and shared, and edge-first and edge-last are
/// slices of edge-key's bytes ("gateway/topic/partition/first-last" ends with both numbers).
/// </summary>
internal sealed class KeyProperties
{
    private readonly ConcurrentDictionary<(string Gateway, string Topic, int Partition), Prefix> _prefixes = new();

    public List<MqttUserProperty> For(IdempotencyKey key)
    {
        var prefix = _prefixes.GetOrAdd((key.Gateway, key.Topic, key.Partition), static k => new Prefix(k.Gateway, k.Topic, k.Partition));
        var bytes = new byte[prefix.Key.Length + 2 * 20 + 1]; // two longs of at most 20 digits and the dash
        prefix.Key.CopyTo(bytes, 0);
        int at = prefix.Key.Length;
        if (!Utf8Formatter.TryFormat(key.First, bytes.AsSpan(at), out int first)) throw new InvalidOperationException("offset does not fit");
        bytes[at + first] = (byte)'-';
        if (!Utf8Formatter.TryFormat(key.Last, bytes.AsSpan(at + first + 1), out int last)) throw new InvalidOperationException("offset does not fit");
        var memory = new ReadOnlyMemory<byte>(bytes);
        return
        [
            new MqttUserProperty("edge-key", memory[..(at + first + 1 + last)]),
            new MqttUserProperty("edge-gateway", prefix.Gateway),
            new MqttUserProperty("edge-topic", prefix.Topic),
            new MqttUserProperty("edge-partition", prefix.Partition),
            new MqttUserProperty("edge-first", memory.Slice(at, first)),
            new MqttUserProperty("edge-last", memory.Slice(at + first + 1, last)),
        ];
    }

    private sealed class Prefix(string gateway, string topic, int partition)
    {
        public ReadOnlyMemory<byte> Gateway { get; } = Encoding.UTF8.GetBytes(gateway);

        public ReadOnlyMemory<byte> Topic { get; } = Encoding.UTF8.GetBytes(topic);

        public ReadOnlyMemory<byte> Partition { get; } = Encoding.UTF8.GetBytes(partition.ToString(System.Globalization.CultureInfo.InvariantCulture));

        /// <summary>"gateway/topic/partition/", the start of every edge-key of the partition.</summary>
        public byte[] Key { get; } = Encoding.UTF8.GetBytes($"{gateway}/{topic}/{partition}/");
    }
}
