namespace Edge.Web;

/// <summary>"Metrics": where the gateway's meters go besides <c>/metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    public OtlpOptions Otlp { get; set; } = new();

    /// <summary>"Metrics:Otlp": push every meter to an OpenTelemetry collector over OTLP/HTTP (protobuf).</summary>
    public sealed class OtlpOptions
    {
        /// <summary>The collector's metrics URL, e.g. http://collector:4318/v1/metrics; empty: no push.</summary>
        public string Endpoint { get; set; } = "";

        /// <summary>How often to push (the OpenTelemetry SDK's default export interval is 60 s).</summary>
        public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);
    }
}
