namespace Edge.Gateway.Services;

/// <summary>Counters shared between the services, read by the status reporter.</summary>
public sealed class GatewayCounters
{
    private long _appended;
    private long _failed;

    public long Appended => Interlocked.Read(ref _appended);

    public long Failed => Interlocked.Read(ref _failed);

    public void AddAppended(long n) => Interlocked.Add(ref _appended, n);

    public void AddFailed(long n) => Interlocked.Add(ref _failed, n);
}
