using System.Threading.Channels;
using Microsoft.Extensions.Hosting.Systemd;

namespace Edge.Deploy.Tests.TestKit;

/// <summary>An <see cref="ISystemdNotifier"/> that records what would be sent, for in-process tests of the watchdog.</summary>
public sealed class RecordingNotifier(ChannelWriter<string> events) : ISystemdNotifier
{
    public bool IsEnabled => true;

    public void Notify(ServiceState state) => events.TryWrite(state.ToString());
}
