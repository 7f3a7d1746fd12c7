using System.Globalization;
using System.Text.Json;
using Booklore.Tasks.Services.Tasks;

namespace Booklore.Tasks.Services.Caches;

/// <summary>
/// Deletes every file of one page cache. Files that cannot be deleted are listed on the run,
/// which then ends as Warning; a cancelled clear keeps and reports what it already deleted.
/// </summary>
public sealed class ClearCacheTask : ICacheTask, IDisposable
{
    private readonly PageCache _cache;

    private ClearCacheTask(PageCache cache, string key, string name, string description)
    {
        _cache = cache;
        Key = key;
        Name = name;
        Description = description;
        _cache.Changed += OnCacheChanged;
    }

    public event Action? CacheSizeChanged;

    public string Key { get; }

    public string Name { get; }

    public string Description { get; }

    public static ClearCacheTask ForComics(PageCaches caches) => new(
        caches.Cbx,
        TaskKeys.ClearCbxCache,
        "Clear CBX Cache",
        "Deletes the page images extracted from comic archives (CBZ, CBR, CB7). They are extracted again when a comic is read.");

    public static ClearCacheTask ForPdfs(PageCaches caches) => new(
        caches.Pdf,
        TaskKeys.ClearPdfCache,
        "Clear PDF Cache",
        "Deletes the rendered PDF pages. They are rendered again when a PDF is read.");

    public CacheSize GetCacheSize()
    {
        var stats = _cache.Stats;
        return new CacheSize(stats.Bytes, stats.Files);
    }

    public object ParseOptions(JsonElement? options) => RunOptionsParser.Parse<NoOptions>(options);

    public bool ConflictsWith(string otherTaskKey, object otherOptions) => false;

    public async Task ExecuteAsync(RunContext context)
    {
        context.SetMessage("Deleting cached files.");
        var reported = new CacheClearProgress(0, 0, 0);
        var progress = new SynchronousProgress(update =>
        {
            context.SetProgress(update.FilesDone, update.FilesTotal);
            context.AddCounters(bytesFreed: update.BytesFreed - reported.BytesFreed);
            reported = update;
        });

        var result = await _cache.ClearAsync(progress, context.CancellationToken);
        context.AddCounters(
            processed: result.FilesDeleted,
            filesDeleted: result.FilesDeleted,
            bytesFreed: result.BytesFreed - reported.BytesFreed);
        foreach (var failure in result.Failures)
        {
            context.AddWarning($"The file was not deleted: {failure.Reason}", failure.Path);
        }

        context.SetSummary(string.Create(
            CultureInfo.InvariantCulture,
            $"Deleted {result.FilesDeleted:N0} files and freed {RunSummaries.FormatBytes(result.BytesFreed)}."));
        context.CancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose() => _cache.Changed -= OnCacheChanged;

    private void OnCacheChanged(object? sender, CacheStats stats) => CacheSizeChanged?.Invoke();

    /// <summary>Reports on the clearing thread, so counters are current when the clear returns.</summary>
    private sealed class SynchronousProgress(Action<CacheClearProgress> report) : IProgress<CacheClearProgress>
    {
        public void Report(CacheClearProgress value) => report(value);
    }
}
