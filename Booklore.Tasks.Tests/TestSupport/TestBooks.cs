using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>Inserts libraries and books for tests.</summary>
public static class TestBooks
{
    public static async Task<Library> AddLibraryAsync(TestDatabase database, string name = "Comics")
    {
        await using var context = database.CreateDbContext();
        var library = new Library { Name = name, Folders = [new LibraryFolder { Path = $"/books/{name}" }] };
        context.Libraries.Add(library);
        await context.SaveChangesAsync();
        return library;
    }

    public static async Task<Book> AddBookAsync(TestDatabase database, int libraryId, string path, Action<Book>? configure = null)
    {
        await using var context = database.CreateDbContext();
        var book = new Book
        {
            LibraryId = libraryId,
            Path = path,
            Format = path.EndsWith(".pdf", StringComparison.Ordinal) ? BookFormat.Pdf : BookFormat.Cbz,
            AddedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        configure?.Invoke(book);
        context.Books.Add(book);
        await context.SaveChangesAsync();
        return book;
    }
}
