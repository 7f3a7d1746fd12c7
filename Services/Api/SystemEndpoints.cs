using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Library;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Services.Api;

/// <summary>Libraries and the container health check.</summary>
public static class SystemEndpoints
{
    public static RouteGroupBuilder MapLibraryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/libraries", async (LibraryService libraries, CancellationToken cancellationToken) =>
            Results.Ok((await libraries.ListAsync(cancellationToken)).Select(ToResponse)))
            .WithName("ListLibraries");
        api.MapPost("/libraries", CreateLibraryAsync).WithName("CreateLibrary");
        return api;
    }

    public static IEndpointRouteBuilder MapHealthCheck(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", CheckHealthAsync).WithName("Health");
        return endpoints;
    }

    private static async Task<IResult> CreateLibraryAsync(
        NewLibrary request,
        LibraryService libraries,
        CancellationToken cancellationToken)
    {
        // A library configured in the settings may name a share that is not mounted yet. A folder sent
        // here is checked at once, because a typo would otherwise make a library whose scans only
        // report its folder missing.
        var notFound = request.Folders?.FirstOrDefault(folder => Path.IsPathFullyQualified(folder) && !Directory.Exists(folder));
        if (notFound is not null)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["folders"] = [$"The folder '{notFound}' was not found on the server; fix the path, or create or mount the folder first."] },
                title: "Invalid library");
        }

        try
        {
            var library = await libraries.CreateAsync(request, cancellationToken);
            return Results.Created($"/api/v1/libraries/{library.Id}", ToResponse(library));
        }
        catch (ValidationException exception)
        {
            var errors = exception.Errors.Any()
                ? exception.Errors.GroupBy(error => ToFieldName(error.PropertyName))
                    .ToDictionary(group => group.Key, group => group.Select(error => error.ErrorMessage).ToArray())
                : new Dictionary<string, string[]> { ["name"] = [exception.Message] };
            return Results.ValidationProblem(errors, title: "Invalid library");
        }
    }

    /// <summary>Healthy when the database responds to a query and the data folder accepts a write.</summary>
    private static async Task<IResult> CheckHealthAsync(
        IDbContextFactory<BookloreDbContext> contextFactory,
        IOptions<BookloreOptions> options,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        try
        {
            await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
            await context.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            problems.Add($"database: {exception.Message}");
        }

        try
        {
            var probe = Path.Combine(options.Value.FullDataPath, $".healthz-{Guid.NewGuid():N}");
            await File.WriteAllTextAsync(probe, "ok", cancellationToken);
            File.Delete(probe);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problems.Add($"data folder: {exception.Message}");
        }

        return problems.Count == 0
            ? Results.Ok(new { status = "healthy" })
            : Results.Json(new { status = "unhealthy", problems }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static object ToResponse(Data.Library library) => new
    {
        library.Id,
        library.Name,
        Folders = library.Folders.Select(folder => folder.Path),
    };

    private static string ToFieldName(string propertyName)
    {
        var name = propertyName.Split('[', '.')[0];
        return name.Length == 0 ? "request" : char.ToLowerInvariant(name[0]) + name[1..];
    }
}
