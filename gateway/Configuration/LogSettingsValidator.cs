using Edge.Log;
using Microsoft.Extensions.Options;

namespace Edge.Gateway.Configuration;

/// <summary>Validates the "Log" section at start, naming the configuration key of every problem.</summary>
public sealed class LogSettingsValidator : IValidateOptions<LogSettings>
{
    public ValidateOptionsResult Validate(string? name, LogSettings options)
    {
        var failures = new List<string>();
        if (options.Topics.Count == 0) failures.Add("Log:Topics: declare at least one topic");
        if (!ByteSize.TryParse(options.DiskBudgetBytes, "Log:DiskBudgetBytes", 0, out _, out string? budgetError)) failures.Add(budgetError!);
        if (!ByteSize.TryParse(options.DiskReserveBytes, "Log:DiskReserveBytes", -1, out _, out string? reserveError)) failures.Add(reserveError!);
        try
        {
            options.ToLogOptions().Validate();
        }
        catch (InvalidTopicConfigException e)
        {
            failures.Add($"{e.Setting.Replace("Log.", "Log:", StringComparison.Ordinal)}: {e.Message}");
        }
        foreach (var (topic, settings) in options.Topics)
        {
            try
            {
                settings.ToConfig(topic).Validate();
            }
            catch (InvalidTopicConfigException e)
            {
                string field = e.Setting[(e.Setting.LastIndexOf('.') + 1)..];
                failures.Add($"Log:Topics:{topic}:{MapField(field)}: {e.Message}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string MapField(string field) => field switch
    {
        "MaxUnflushedRecords" => "FlushMaxRecords",
        "MaxInterval" => "FlushMaxIntervalMs",
        "FillBytes" => "FlushFillBytes",
        "RetentionTime" => "RetentionHours",
        _ => field,
    };
}
