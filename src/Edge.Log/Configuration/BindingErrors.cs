using Microsoft.Extensions.Options;

namespace Edge.Log.Configuration;

/// <summary>What the configuration binder could not bind into <typeparamref name="T"/>, reported as validation failures (<see cref="OptionsBuilderExtensions.BindSection"/>).</summary>
public sealed class BindingErrors<T> : IValidateOptions<T>
    where T : class
{
    private readonly List<string> _errors = [];

    public void Clear()
    {
        lock (_errors) _errors.Clear();
    }

    public void Add(string error)
    {
        lock (_errors) _errors.Add(error);
    }

    public ValidateOptionsResult Validate(string? name, T options)
    {
        lock (_errors) return _errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors.ToList());
    }
}
