using System.Buffers;
using Edge.Local.Broker.Transport;

namespace Edge.Local.Tests;

/// <summary>Issue 11 item 1: every packet the embedded broker sends leaves in one write (one TCP segment when small).</summary>
public class BrokerChannelTests
{
    [Fact]
    public async Task A_packet_sent_as_header_then_payload_leaves_in_one_write()
    {
        var wire = new RecordingStream();
        using var channel = new BrokerChannel(wire, null, null);
        // As MQTTnet's channel adapter sends a PUBLISH with a payload: the header, then the payload (end of packet).
        await channel.WriteAsync(new ReadOnlySequence<byte>([0x30, 0x07, 0x00, 0x01, (byte)'t']), false, default);
        await channel.WriteAsync(new ReadOnlySequence<byte>("hi!"u8.ToArray()), true, default);
        await channel.WriteAsync(new ReadOnlySequence<byte>([0x40, 0x02, 0x00, 0x05]), true, default); // a PUBACK: one part
        Assert.Equal([[0x30, 0x07, 0x00, 0x01, (byte)'t', (byte)'h', (byte)'i', (byte)'!'], [0x40, 0x02, 0x00, 0x05]], wire.Writes);
    }

    [Fact]
    public async Task Packets_sent_while_corked_leave_together_at_uncork()
    {
        var wire = new RecordingStream();
        using var channel = new BrokerChannel(wire, null, null);
        channel.Cork();
        for (byte id = 1; id <= 3; id++) await channel.WriteAsync(new ReadOnlySequence<byte>([0x40, 0x02, 0x00, id]), true, default);
        Assert.Empty(wire.Writes);
        await channel.UncorkAsync();
        Assert.Equal([[0x40, 0x02, 0x00, 1, 0x40, 0x02, 0x00, 2, 0x40, 0x02, 0x00, 3]], wire.Writes);
    }

    private sealed class RecordingStream : MemoryStream
    {
        public List<byte[]> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return ValueTask.CompletedTask;
        }
    }
}
