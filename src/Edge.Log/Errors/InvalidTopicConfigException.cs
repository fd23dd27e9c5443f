namespace Edge.Log;

/// <summary>A topic or log setting out of range; the message names the setting.</summary>
public sealed class InvalidTopicConfigException : LogException
{
    public InvalidTopicConfigException(string setting, string problem)
        : base($"{setting}: {problem}") => Setting = setting;

    public string Setting { get; }
}
