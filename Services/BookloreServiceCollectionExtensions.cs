using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Caches;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Scheduling;
using Booklore.Tasks.Services.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Services;

/// <summary>Registers and starts the application's services.</summary>
public static class BookloreServiceCollectionExtensions
{
    public static IServiceCollection AddBooklore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BookloreOptions>()
            .Bind(configuration.GetSection(BookloreOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContextFactory<BookloreDbContext>((provider, options) =>
        {
            var booklore = provider.GetRequiredService<IOptions<BookloreOptions>>().Value;
            options.UseSqlite($"Data Source={booklore.DatabasePath};Pooling=True");
        });

        services.AddOptions<TaskEngineOptions>()
            .Bind(configuration.GetSection(TaskEngineOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<TaskRegistry>();
        services.AddSingleton<TaskRunWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<TaskRunWorker>());
        // Registration order is the order of the cards on Task Management.
        services.AddPageCaches();
        services.AddSingleton<IMaintenanceTask>(provider => ClearCacheTask.ForComics(provider.GetRequiredService<PageCaches>()));
        services.AddSingleton<IMaintenanceTask>(provider => ClearCacheTask.ForPdfs(provider.GetRequiredService<PageCaches>()));
        services.AddSingleton<IBookFileReader, BookFileReader>();
        services.AddSingleton<IMaintenanceTask, RefreshMetadataTask>();
        services.AddSingleton<IMaintenanceTask, ScanLibraryTask>();

        services.AddProblemDetails();
        // Binding failures throw, so that UseBadRequestProblems returns a problem response naming the parameter.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(json => RunJson.Configure(json.SerializerOptions));

        services.AddSingleton<ScheduleService>();
        services.AddHostedService<ScheduleRunner>();
        services.AddSingleton<LibraryService>();
        services.AddBookServices();
        services.AddSingleton<DatabaseBackup>();
        services.AddSingleton<RunUndoService>();
        return services;
    }

    /// <summary>
    /// Prepares the data folder and database, marks runs a previous process left active as
    /// Interrupted, creates the configured (or demo) libraries and queues a first scan of new ones.
    /// </summary>
    public static async Task InitializeBookloreAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<BookloreOptions>>().Value;
        Directory.CreateDirectory(options.FullDataPath);

        var contextFactory = services.GetRequiredService<IDbContextFactory<BookloreDbContext>>();
        await using (var context = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            // WAL lets pages read while a task writes; the setting is stored in the database file.
            await context.Database.MigrateAsync(cancellationToken);
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await services.GetRequiredService<TaskRunWorker>().RecoverInterruptedRunsAsync(cancellationToken);
        var created = await services.GetRequiredService<LibraryService>().EnsureConfiguredLibrariesAsync(cancellationToken);
        if (created.Count > 0)
        {
            await services.GetRequiredService<TaskRegistry>().StartAsync(TaskKeys.ScanLibrary, null, RunTriggers.Startup, cancellationToken);
        }
    }
}
