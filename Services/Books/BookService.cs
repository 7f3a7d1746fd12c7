using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Services.Books;

/// <summary>Lists, reads and edits books for the book pages and the HTTP API.</summary>
public sealed partial class BookService(
    IDbContextFactory<BookloreDbContext> contextFactory,
    BookEditValidator validator,
    IOptionsMonitor<BookEditOptions> options,
    ILogger<BookService> logger)
{
    private static readonly BookMetadata EmptyMetadata = new();

    /// <summary>Returns one page of books matching the query, and how many match in total.</summary>
    public async Task<BookPage> ListAsync(BookQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, BookQuery.MaxPageSize);
        var page = Math.Max(0, query.Page);

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var books = Filter(context.Books.AsNoTracking(), query);
        var total = await books.CountAsync(cancellationToken);
        var rows = await Sort(books, query)
            .Skip(page * pageSize)
            .Take(pageSize)
            .Select(book => new { Book = book, LibraryName = book.Library!.Name })
            .ToListAsync(cancellationToken);

        var items = rows.Select(row => ToListItem(row.Book, row.LibraryName)).ToList();
        return new BookPage(items, total);
    }

    public async Task<BookDetails?> GetAsync(int id, CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row = await context.Books.AsNoTracking()
            .Where(book => book.Id == id)
            .Select(book => new { Book = book, LibraryName = book.Library!.Name })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : ToDetails(row.Book, row.LibraryName);
    }

    /// <summary>Returns the display titles of the given books; ids without a book are left out.</summary>
    public async Task<IReadOnlyDictionary<int, string>> GetTitlesAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await context.Books.AsNoTracking()
            .Where(book => ids.Contains(book.Id))
            .Select(book => new { book.Id, book.Title, book.Path })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(row => row.Id, row => DisplayTitle(row.Title, row.Path));
    }

    /// <summary>
    /// Validates and applies an edit. Edited fields get the source "manual" and are locked unless the
    /// edit's <see cref="BookEdit.Locks"/> sets their lock to false or the lock-on-edit setting is off.
    /// </summary>
    public async Task<BookEditResult> UpdateAsync(int id, BookEdit edit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var validation = await validator.ValidateAsync(edit, cancellationToken);
        if (!validation.IsValid)
        {
            var errors = validation.Errors
                .GroupBy(failure => ToApiName(failure.PropertyName))
                .ToDictionary(group => group.Key, group => group.Select(failure => failure.ErrorMessage).Distinct().ToArray());
            return BookEditResult.Invalid(errors);
        }

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);

        // Microsoft.Data.Sqlite begins the transaction with BEGIN IMMEDIATE, so a refresh batch or an
        // undo cannot write this book between this read and this write and then lose its change.
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var book = await context.Books.Include(row => row.Library).SingleOrDefaultAsync(row => row.Id == id, cancellationToken);
        if (book is null)
        {
            return BookEditResult.NotFound();
        }

        var edited = ApplyMetadata(book, edit);
        ApplyLocks(book, edit, edited);
        ApplyDatabaseOnlyFields(book, edit);

        await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogBookEdited(id, edited.Count, edited);
        return BookEditResult.Updated(ToDetails(book, book.Library?.Name));
    }

    private static IQueryable<Book> Filter(IQueryable<Book> books, BookQuery query)
    {
        if (query.LibraryId is { } libraryId)
        {
            books = books.Where(book => book.LibraryId == libraryId);
        }

        if (query.Format is { } format)
        {
            books = books.Where(book => book.Format == format);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = $"%{EscapeLike(query.Search.Trim())}%";
            books = books.Where(book =>
                EF.Functions.Like(book.Title, pattern, "\\")
                || EF.Functions.Like(book.AuthorsJson, pattern, "\\")
                || EF.Functions.Like(book.SeriesName, pattern, "\\")
                || EF.Functions.Like(book.Path, pattern, "\\"));
        }

        return books;
    }

    private static IQueryable<Book> Sort(IQueryable<Book> books, BookQuery query)
    {
        // Books without a title sort by their path, as the list shows them.
        var sorted = query.Sort switch
        {
            BookSort.Added => query.Descending
                ? books.OrderByDescending(book => book.AddedAt)
                : books.OrderBy(book => book.AddedAt),
            BookSort.Series => query.Descending
                ? books.OrderByDescending(book => book.SeriesName == null)
                    .ThenByDescending(book => EF.Functions.Collate(book.SeriesName, "NOCASE"))
                    .ThenByDescending(book => (double?)book.SeriesNumber)
                : books.OrderBy(book => book.SeriesName == null)
                    .ThenBy(book => EF.Functions.Collate(book.SeriesName, "NOCASE"))
                    .ThenBy(book => (double?)book.SeriesNumber),
            _ => query.Descending
                ? books.OrderByDescending(book => EF.Functions.Collate(book.Title ?? book.Path, "NOCASE"))
                : books.OrderBy(book => EF.Functions.Collate(book.Title ?? book.Path, "NOCASE")),
        };
        return sorted.ThenBy(book => book.Id);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>Writes the metadata fields the edit sets or clears and returns them.</summary>
    private static List<MetadataField> ApplyMetadata(Book book, BookEdit edit)
    {
        var metadata = book.GetMetadata();
        var values = ToMetadata(edit);
        var edited = new List<MetadataField>();
        foreach (var field in MetadataFieldValues.All)
        {
            if (edit.Clears(BookEditFields.NameOf(field)))
            {
                metadata = MetadataFieldValues.Copy(EmptyMetadata, metadata, field);
                edited.Add(field);
            }
            else if (edit.Sets(field))
            {
                metadata = MetadataFieldValues.Copy(values, metadata, field);
                edited.Add(field);
            }
        }

        book.SetMetadata(metadata);
        foreach (var field in edited)
        {
            book.SetFieldSource(field, FieldSources.Manual);
        }

        return edited;
    }

    private void ApplyLocks(Book book, BookEdit edit, List<MetadataField> edited)
    {
        var locked = book.GetLockedFields().ToHashSet();
        if (options.CurrentValue.LockOnEdit)
        {
            locked.UnionWith(edited);
        }

        foreach (var (field, isLocked) in edit.Locks)
        {
            if (isLocked)
            {
                locked.Add(field);
            }
            else
            {
                locked.Remove(field);
            }
        }

        book.SetLockedFields(locked);
    }

    private static void ApplyDatabaseOnlyFields(Book book, BookEdit edit)
    {
        if (edit.Clears(BookEditFields.Rating))
        {
            book.Rating = null;
        }
        else if (edit.Rating is { } rating)
        {
            book.Rating = rating;
        }

        if (edit.Clears(BookEditFields.Notes))
        {
            book.Notes = null;
        }
        else if (edit.Notes is { } notes)
        {
            book.Notes = Clean(notes);
        }
    }

    /// <summary>Converts the edit's values to stored form: trimmed text, empty text as null, ISBNs without separators.</summary>
    private static BookMetadata ToMetadata(BookEdit edit) => new()
    {
        Title = Clean(edit.Title),
        Subtitle = Clean(edit.Subtitle),
        Authors = [.. (edit.Authors ?? []).Select(author => author with { Name = author.Name.Trim(), Role = author.Role.Trim() })],
        SeriesName = Clean(edit.SeriesName),
        SeriesNumber = edit.SeriesNumber,
        SeriesTotal = edit.SeriesTotal,
        Publisher = Clean(edit.Publisher),
        PublishedDate = PartialDate.TryParse(edit.PublishedDate),
        Language = Clean(edit.Language),
        Description = Clean(edit.Description),
        Isbn10 = Clean(edit.Isbn10) is { } isbn10 ? BookEditValidator.NormalizeIsbn(isbn10) : null,
        Isbn13 = Clean(edit.Isbn13) is { } isbn13 ? BookEditValidator.NormalizeIsbn(isbn13) : null,
        Identifiers = [.. (edit.Identifiers ?? []).Select(id => new BookIdentifier(id.Scheme.Trim(), id.Value.Trim()))],
        Subjects = [.. (edit.Subjects ?? []).Select(subject => subject.Trim())],
        PageCount = edit.PageCount,
        Volume = edit.Volume,
        StoryArc = Clean(edit.StoryArc),
        AgeRating = Clean(edit.AgeRating),
    };

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Turns a FluentValidation property path such as "Authors[0].Name" into "authors[0].name".</summary>
    private static string ToApiName(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    private static string DisplayTitle(string? title, string path) =>
        string.IsNullOrWhiteSpace(title) ? Library.BookFiles.TitleFromFileName(path) : title;

    private static BookListItem ToListItem(Book book, string? libraryName)
    {
        var metadata = book.GetMetadata();
        return new BookListItem(
            book.Id,
            DisplayTitle(book.Title, book.Path),
            string.Join(", ", metadata.Authors.Select(author => author.Name)),
            book.SeriesName,
            book.SeriesNumber,
            book.Format,
            book.LibraryId,
            libraryName,
            book.Path,
            book.AddedAt,
            book.IsMissing);
    }

    private static BookDetails ToDetails(Book book, string? libraryName) => new()
    {
        Id = book.Id,
        LibraryId = book.LibraryId,
        LibraryName = libraryName,
        Path = book.Path,
        Format = book.Format,
        SizeBytes = book.SizeBytes,
        FileModifiedAt = book.FileModifiedAt,
        AddedAt = book.AddedAt,
        LastReadAt = book.LastReadAt,
        IsMissing = book.IsMissing,
        Metadata = book.GetMetadata(),
        LockedFields = book.GetLockedFields(),
        Sources = book.GetFieldSources(),
        Rating = book.Rating,
        Notes = book.Notes,
        ReadingProgress = book.ReadingProgress,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Book {BookId} edited by hand: {FieldCount} metadata fields ({Fields})")]
    private partial void LogBookEdited(int bookId, int fieldCount, IEnumerable<MetadataField> fields);
}
