using System.Text.Json;
using Booklore.Tasks.Services.Tasks;

namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>
/// A maintenance task whose steps the test drives: it works through <see cref="Items"/> items,
/// waiting at each for the test to release it, and honours cancellation while waiting.
/// </summary>
public sealed class ControlledTask(string key, int items = 3) : IMaintenanceTask, IDisposable
{
    private readonly SemaphoreSlim _steps = new(0);

    public string Key { get; } = key;
    public string Name => $"Test task {Key}";
    public string Description => "A task driven by the test.";
    public int Items { get; } = items;
    public List<string> ConflictingKeys { get; } = [];
    public Exception? FailWith { get; set; }
    public string? WarnWith { get; set; }
    private int _executions;

    public int Executions => Volatile.Read(ref _executions);
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object ParseOptions(JsonElement? options) => RunOptionsParser.Parse<NoOptions>(options);

    public bool ConflictsWith(string otherTaskKey, object otherOptions) => ConflictingKeys.Contains(otherTaskKey);

    public void Dispose() => _steps.Dispose();

    /// <summary>Lets the task finish <paramref name="count"/> more items.</summary>
    public void Release(int count = 1) => _steps.Release(count);

    public async Task ExecuteAsync(RunContext context)
    {
        Interlocked.Increment(ref _executions);
        context.SetTotal(Items);
        Started.TrySetResult();
        for (var item = 1; item <= Items; item++)
        {
            await _steps.WaitAsync(context.CancellationToken);
            context.Advance(1, $"item {item}");
            context.AddCounters(processed: 1);
        }

        if (WarnWith is not null)
        {
            context.AddWarning(WarnWith, "/library/book.epub");
        }

        if (FailWith is not null)
        {
            throw FailWith;
        }
    }
}
