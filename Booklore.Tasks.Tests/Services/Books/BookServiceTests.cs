using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Tests.Services.Books;

public sealed class BookServiceTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;
    private int _libraryId;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _libraryId = (await TestBooks.AddLibraryAsync(_database)).Id;
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        _database.Dispose();
    }

    [Fact]
    public async Task UpdateAsync_ValidTitle_StoresLockAndManualSource()
    {
        var book = await TestBooks.AddBookAsync(_database, _libraryId, "/books/a.cbz", row => row.Title = "Old");
        var service = CreateService();

        var result = await service.UpdateAsync(book.Id, new BookEdit { Title = "  New title " }, CancellationToken.None);

        Assert.Equal(BookEditStatus.Updated, result.Status);
        var stored = await LoadAsync(book.Id);
        Assert.Equal("New title", stored.Title);
        Assert.Contains(MetadataField.Title, stored.GetLockedFields());
        Assert.Equal(FieldSources.Manual, stored.GetFieldSources()[MetadataField.Title]);
    }

    [Fact]
    public async Task UpdateAsync_LockSetFalse_LeavesEditedFieldUnlocked()
    {
        var book = await TestBooks.AddBookAsync(_database, _libraryId, "/books/a.cbz");
        var service = CreateService();
        var edit = new BookEdit
        {
            Publisher = "Dargaud",
            Locks = new Dictionary<MetadataField, bool> { [MetadataField.Publisher] = false },
        };

        await service.UpdateAsync(book.Id, edit, CancellationToken.None);

        var stored = await LoadAsync(book.Id);
        Assert.Equal("Dargaud", stored.Publisher);
        Assert.DoesNotContain(MetadataField.Publisher, stored.GetLockedFields());
        Assert.Equal(FieldSources.Manual, stored.GetFieldSources()[MetadataField.Publisher]);
    }

    [Fact]
    public async Task UpdateAsync_LockOnEditOff_KeepsFieldUnlocked()
    {
        var book = await TestBooks.AddBookAsync(_database, _libraryId, "/books/a.cbz");
        var service = CreateService(lockOnEdit: false);

        await service.UpdateAsync(book.Id, new BookEdit { SeriesNumber = 1.5m }, CancellationToken.None);

        var stored = await LoadAsync(book.Id);
        Assert.Equal(1.5m, stored.SeriesNumber);
        Assert.Empty(stored.GetLockedFields());
    }

    [Fact]
    public async Task UpdateAsync_InvalidFields_ReturnsMessagesAndWritesNothing()
    {
        var book = await TestBooks.AddBookAsync(_database, _libraryId, "/books/a.cbz", row => row.Title = "Kept");
        var service = CreateService();
        var edit = new BookEdit
        {
            Title = " ",
            Isbn13 = "978-0-306-40615-6",
            Isbn10 = "0-306-40615-3",
            SeriesNumber = -1,
            PageCount = -3,
            Language = "english language",
            PublishedDate = "2021-02-30",
        };

        var result = await service.UpdateAsync(book.Id, edit, CancellationToken.None);

        Assert.Equal(BookEditStatus.Invalid, result.Status);
        Assert.Contains("Title is required", result.Errors["title"][0], StringComparison.Ordinal);
        Assert.Contains("ISBN-13", result.Errors["isbn13"][0], StringComparison.Ordinal);
        Assert.Contains("ISBN-10", result.Errors["isbn10"][0], StringComparison.Ordinal);
        Assert.Contains("Series number", result.Errors["seriesNumber"][0], StringComparison.Ordinal);
        Assert.Contains("Page count", result.Errors["pageCount"][0], StringComparison.Ordinal);
        Assert.Contains("BCP 47", result.Errors["language"][0], StringComparison.Ordinal);
        Assert.Contains("yyyy-MM-dd", result.Errors["publishedDate"][0], StringComparison.Ordinal);
        var stored = await LoadAsync(book.Id);
        Assert.Equal("Kept", stored.Title);
        Assert.Empty(stored.GetLockedFields());
    }

    [Fact]
    public async Task UpdateAsync_ValidIsbnsWithHyphens_StoresDigitsOnly()
    {
        var book = await TestBooks.AddBookAsync(_database, _libraryId, "/books/a.cbz");
        var service = CreateService();
        var edit = new BookEdit { Isbn13 = "978-0-306-40615-7", Isbn10 = "0-8044-2957-X", Language = "pt-BR", PublishedDate = "2021-06" };

        var result = await service.UpdateAsync(book.Id, edit, CancellationToken.None);

        Assert.Equal(BookEditStatus.Updated, result.Status);
        var stored = await LoadAsync(book.Id);
        Assert.Equal("9780306406157", stored.Isbn13);
        Assert.Equal("080442957X", stored.Isbn10);
        Assert.Equal("pt-BR", stored.Language);
        Assert.Equal("2021-06", stored.PublishedDate);
    }

    [Fact]
    public async Task UpdateAsync_ClearAndDatabaseOnlyFields_ClearsWithoutLockingRating()
    {
        var book = await TestBooks.AddBookAsync(_database, _libraryId, "/books/a.cbz", row =>
        {
            row.SeriesNumber = 3;
            row.Notes = "old note";
        });
        var service = CreateService();
        var edit = new BookEdit { Clear = ["seriesNumber", "notes"], Rating = 4 };

        await service.UpdateAsync(book.Id, edit, CancellationToken.None);

        var stored = await LoadAsync(book.Id);
        Assert.Null(stored.SeriesNumber);
        Assert.Null(stored.Notes);
        Assert.Equal(4, stored.Rating);
        Assert.Equal([MetadataField.SeriesNumber], stored.GetLockedFields());
    }

    [Fact]
    public async Task UpdateAsync_ClearUnknownOrTitle_ReturnsErrors()
    {
        var book = await TestBooks.AddBookAsync(_database, _libraryId, "/books/a.cbz");
        var service = CreateService();

        var result = await service.UpdateAsync(book.Id, new BookEdit { Clear = ["title", "colour"] }, CancellationToken.None);

        Assert.Equal(BookEditStatus.Invalid, result.Status);
        Assert.Contains(result.Errors["clear"], message => message.Contains("Title cannot be cleared", StringComparison.Ordinal));
        Assert.Contains(result.Errors.Values.SelectMany(messages => messages), message => message.Contains("'colour'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpdateAsync_UnknownBook_ReturnsNotFound()
    {
        var service = CreateService();

        var result = await service.UpdateAsync(999, new BookEdit { Title = "x" }, CancellationToken.None);

        Assert.Equal(BookEditStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task ListAsync_SearchFormatAndSeriesSort_ReturnsMatchingPage()
    {
        await TestBooks.AddBookAsync(_database, _libraryId, "/books/saga-10.cbz", row => (row.SeriesName, row.SeriesNumber) = ("Saga", 10));
        await TestBooks.AddBookAsync(_database, _libraryId, "/books/saga-2.cbz", row => (row.SeriesName, row.SeriesNumber) = ("Saga", 2));
        await TestBooks.AddBookAsync(_database, _libraryId, "/books/saga-1.5.cbz", row => (row.SeriesName, row.SeriesNumber) = ("Saga", 1.5m));
        await TestBooks.AddBookAsync(_database, _libraryId, "/books/saga-notes.pdf", row => row.SeriesName = "Saga");
        await TestBooks.AddBookAsync(_database, _libraryId, "/books/other.cbz", row => row.AuthorsJson = """[{"name":"Brian K. Vaughan","role":"writer"}]""");
        var service = CreateService();

        var page = await service.ListAsync(
            new BookQuery { Search = "saga", Format = BookFormat.Cbz, Sort = BookSort.Series, PageSize = 2 },
            CancellationToken.None);
        var byAuthor = await service.ListAsync(new BookQuery { Search = "vaughan" }, CancellationToken.None);

        Assert.Equal(3, page.TotalCount);
        Assert.Equal([1.5m, 2m], page.Items.Select(item => item.SeriesNumber));
        Assert.Equal("/books/other.cbz", Assert.Single(byAuthor.Items).Path);
        Assert.Equal("Brian K. Vaughan", byAuthor.Items[0].Authors);
    }

    private BookService CreateService(bool lockOnEdit = true)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IDbContextFactory<BookloreDbContext>>(_database);
        services.AddSingleton<BookEditValidator>();
        services.AddSingleton<BookService>();
        services.AddSingleton<IOptionsMonitor<BookEditOptions>>(new StaticOptionsMonitor<BookEditOptions>(new BookEditOptions { LockOnEdit = lockOnEdit }));
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<BookService>();
    }

    private async Task<Book> LoadAsync(int id)
    {
        await using var context = _database.CreateDbContext();
        return await context.Books.AsNoTracking().SingleAsync(book => book.Id == id);
    }
}
