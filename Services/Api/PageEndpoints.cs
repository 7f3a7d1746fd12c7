using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Caches;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Services.Api;

/// <summary>Page images for the reader, served from the page caches and filling them on a miss.</summary>
public static partial class PageEndpoints
{
    public static RouteGroupBuilder MapPageEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/books/{id:int}/pages/{page:int}", GetPageAsync).WithName("GetPage");
        return api;
    }

    private static async Task<IResult> GetPageAsync(
        int id,
        int page,
        int? width,
        IDbContextFactory<BookloreDbContext> contextFactory,
        BookPageService pages,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        if (page < 1)
        {
            return Results.Problem(
                title: "Invalid page number",
                detail: $"Page numbers start at 1; {page} was requested.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var book = await context.Books.AsNoTracking().SingleOrDefaultAsync(book => book.Id == id, cancellationToken);
        if (book is null)
        {
            return Results.Problem(title: "Book not found", detail: $"There is no book with id {id}.", statusCode: StatusCodes.Status404NotFound);
        }

        try
        {
            var result = await pages.GetPageAsync(book, page, width, cancellationToken);
            return result switch
            {
                BookPageFound found => Results.Stream(found.Content, found.ContentType),
                BookPageNotFound missing => Results.Problem(title: "Page not found", detail: missing.Message, statusCode: StatusCodes.Status404NotFound),
                _ => throw new InvalidOperationException($"Unexpected page result {result.GetType().Name}."),
            };
        }
        catch (PdfRendererNotFoundException exception)
        {
            return Results.Problem(title: "PDF renderer missing", detail: exception.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (BookPageException exception)
        {
            LogPageFailed(loggerFactory.CreateLogger(typeof(PageEndpoints)), exception, id, page);
            return Results.Problem(
                title: "Page could not be produced",
                detail: $"Page {page} of book {id} could not be extracted or rendered: {exception.Message}",
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Page {Page} of book {BookId} could not be produced")]
    private static partial void LogPageFailed(ILogger logger, Exception exception, int bookId, int page);
}
