using Booklore.Tasks.Data;
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
            options.UseSqlite($"Data Source={booklore.DatabasePath};Cache=Shared;Pooling=True");
        });
        return services;
    }

    /// <summary>Creates the data folder and applies database migrations.</summary>
    public static async Task InitializeBookloreAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<BookloreOptions>>().Value;
        Directory.CreateDirectory(options.FullDataPath);

        var contextFactory = services.GetRequiredService<IDbContextFactory<BookloreDbContext>>();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        await context.Database.MigrateAsync(cancellationToken);
        await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public static IEndpointRouteBuilder MapBookloreApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Ok(new { status = "healthy" }));
        return endpoints;
    }
}
