using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>An options monitor that always returns one value and never reports a change.</summary>
public sealed class StaticOptionsMonitor<TOptions>(TOptions value) : IOptionsMonitor<TOptions>
{
    public TOptions CurrentValue => value;

    public TOptions Get(string? name) => value;

    public IDisposable? OnChange(Action<TOptions, string?> listener) => null;
}
