using System.Text.Json;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;

namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>
/// A task that hands its <see cref="RunContext"/> to the test, which reports progress through it,
/// and runs until the test completes <see cref="Finish"/> or cancels the run.
/// </summary>
public sealed class ScriptedTask : IMaintenanceTask
{
    public const string TaskKey = "test-scripted";

    public string Key => TaskKey;

    public string Name => "Scripted Task";

    public string Description => "A task whose progress and end the test decides.";

    /// <summary>Completes with the run's context when the run starts, so the test can report progress.</summary>
    public TaskCompletionSource<RunContext> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object ParseOptions(JsonElement? options) => RunOptionsParser.Parse<NoOptions>(options);

    public bool ConflictsWith(string otherTaskKey, object otherOptions) => false;

    public async Task ExecuteAsync(RunContext context)
    {
        Started.TrySetResult(context);
        await Finish.Task.WaitAsync(context.CancellationToken);
    }
}

/// <summary>A cache task whose size the test sets; clearing it empties the cache at once.</summary>
public sealed class FakeCacheTask : ICacheTask
{
    private CacheSize _size = new(0, 0);

    public event Action? CacheSizeChanged;

    public string Key => TaskKeys.ClearCbxCache;

    public string Name => "Clear CBX Cache";

    public string Description => "Deletes every cached comic page.";

    public CacheSize GetCacheSize() => Volatile.Read(ref _size);

    public void SetSize(CacheSize size)
    {
        Volatile.Write(ref _size, size);
        CacheSizeChanged?.Invoke();
    }

    public object ParseOptions(JsonElement? options) => RunOptionsParser.Parse<NoOptions>(options);

    public bool ConflictsWith(string otherTaskKey, object otherOptions) => false;

    public Task ExecuteAsync(RunContext context)
    {
        var size = GetCacheSize();
        context.SetTotal(size.Files);
        context.Advance(size.Files);
        context.AddCounters(filesDeleted: size.Files, bytesFreed: size.Bytes);
        SetSize(new CacheSize(0, 0));
        return Task.CompletedTask;
    }
}

/// <summary>Stands in for the metadata refresh: validates its options like the real one and records them.</summary>
public sealed class RecordingRefreshTask : IMaintenanceTask
{
    private static readonly RefreshOptionsValidator Validator = new();

    public string Key => TaskKeys.RefreshMetadata;

    public string Name => "Refresh Metadata from Library Files";

    public string Description => "Rereads the metadata embedded in each book file.";

    public TaskCompletionSource<RefreshOptions> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object ParseOptions(JsonElement? options) => RunOptionsParser.Parse(options, Validator);

    public bool ConflictsWith(string otherTaskKey, object otherOptions) => false;

    public Task ExecuteAsync(RunContext context)
    {
        Received.TrySetResult(context.GetOptions<RefreshOptions>());
        return Task.CompletedTask;
    }
}
