using Microsoft.Extensions.Options;

namespace Edge.Log.Configuration;

/// <summary>Validates the "Log" section at start, naming the configuration key of every problem (all of them, not the first).</summary>
public sealed class LogSectionValidator : IValidateOptions<LogSectionOptions>
{
    public ValidateOptionsResult Validate(string? name, LogSectionOptions options)
    {
        var failures = new List<string>();
        if (options.Topics.Count == 0) failures.Add($"{LogSectionOptions.Section}:Topics: declare at least one topic");
        if (!ByteSize.TryParse(options.DiskBudgetBytes, "Log:DiskBudgetBytes", 0, out _, out string? budgetError)) failures.Add(budgetError!);
        if (!ByteSize.TryParse(options.DiskReserveBytes, "Log:DiskReserveBytes", -1, out _, out string? reserveError)) failures.Add(reserveError!);
        foreach (var (topic, settings) in options.Topics) failures.AddRange(settings.Validate(topic));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
