namespace Booklore.Tasks.Services.Caches;

/// <summary>Corrects the accounting of both page caches by walking their folders once after start-up.</summary>
internal sealed class PageCacheStartupWalk(PageCaches caches, ILogger<PageCacheStartupWalk> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var cache in caches.All)
        {
            try
            {
                await cache.RecalculateAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                CacheLog.WalkFailed(logger, ex, cache.Kind, cache.RootPath);
            }
        }
    }
}
