namespace Booklore.Tasks.Services.Caches;

/// <summary>Registers the page caches, the page sources and <see cref="BookPageService"/>.</summary>
public static class PageCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers the caches and the page service as singletons, binds <see cref="CacheOptions"/>
    /// to "Booklore:Caches" (validated at start-up) and walks both caches once after start-up.
    /// Needs <see cref="BookloreOptions"/> and a <see cref="TimeProvider"/> registered.
    /// </summary>
    public static IServiceCollection AddPageCaches(this IServiceCollection services)
    {
        services.AddOptions<CacheOptions>()
            .BindConfiguration(CacheOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<PageCaches>();
        services.AddSingleton<PdfPageRenderer>();
        services.AddSingleton<ComicPageSource>();
        services.AddSingleton<PdfPageSource>();
        services.AddSingleton<BookPageService>();
        services.AddHostedService<PageCacheStartupWalk>();
        return services;
    }
}
