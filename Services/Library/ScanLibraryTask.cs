using System.Globalization;
using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Services.Library;

/// <summary>
/// Finds new, changed, moved and removed book files. New files become books with their file
/// metadata; changed files fill the fields their books are missing; moved files (same
/// fingerprint) keep their book and its edits; removed files are marked missing, never deleted.
/// A library folder that does not exist is reported and its books are left as they are, so an
/// unmounted share loses nothing.
/// </summary>
public sealed partial class ScanLibraryTask(
    IDbContextFactory<BookloreDbContext> contextFactory,
    IBookFileReader reader,
    TimeProvider time,
    ILogger<ScanLibraryTask> logger) : IMaintenanceTask
{
    private const int BatchSize = 200;
    private static readonly ScanOptionsValidator Validator = new();

    public string Key => TaskKeys.ScanLibrary;

    public string Name => "Scan Library Files";

    public string Description =>
        "Finds new, changed, moved and removed files in the library folders and adds new books with their file metadata.";

    public object ParseOptions(JsonElement? options) => RunOptionsParser.Parse(options, Validator);

    public bool ConflictsWith(string otherTaskKey, object otherOptions) => otherTaskKey == TaskKeys.RefreshMetadata;

    public async Task ExecuteAsync(RunContext context)
    {
        var options = context.GetOptions<ScanOptions>();
        var cancellationToken = context.CancellationToken;
        var libraries = await LoadLibrariesAsync(options, cancellationToken);
        if (options.LibraryId is { } wanted && libraries.Count == 0)
        {
            throw new InvalidOperationException($"There is no library with id {wanted}; list them with GET /api/v1/libraries.");
        }

        context.SetMessage("Listing files.");
        var plans = libraries.Select(library => PlanLibrary(library, context)).ToList();
        context.SetTotal(plans.Sum(plan => plan.Files.Count));

        var totals = new ScanTotals();
        foreach (var plan in plans)
        {
            await ScanLibraryAsync(plan, context, totals);
        }

        context.SetSummary(totals.Describe());
    }

    private async Task<List<Data.Library>> LoadLibrariesAsync(ScanOptions options, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Libraries.AsNoTracking().Include(library => library.Folders).AsQueryable();
        if (options.LibraryId is { } libraryId)
        {
            query = query.Where(library => library.Id == libraryId);
        }

        return await query.OrderBy(library => library.Id).ToListAsync(cancellationToken);
    }

    private static LibraryPlan PlanLibrary(Data.Library library, RunContext context)
    {
        var files = new List<FileInfo>();
        var scannedFolders = new List<string>();
        foreach (var folder in library.Folders)
        {
            if (!Directory.Exists(folder.Path))
            {
                context.AddWarning(
                    $"The folder of library '{library.Name}' does not exist or is not mounted, so its books were kept as they are. Mount it or fix the library's path, then scan again.",
                    folder.Path);
                continue;
            }

            scannedFolders.Add(folder.Path);
            files.AddRange(BookFiles.Enumerate(folder.Path, (path, reason) => context.AddWarning($"The folder was skipped: {reason}.", path)));
        }

        return new LibraryPlan(library, files.OrderBy(file => file.FullName, StringComparer.Ordinal).ToList(), scannedFolders);
    }

    private async Task ScanLibraryAsync(LibraryPlan plan, RunContext context, ScanTotals totals)
    {
        var cancellationToken = context.CancellationToken;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var books = await db.Books.Where(book => book.LibraryId == plan.Library.Id).ToListAsync(cancellationToken);
        var byPath = books.ToDictionary(book => book.Path, StringComparer.Ordinal);
        var seen = new HashSet<Book>(ReferenceEqualityComparer.Instance);
        var pending = 0;

        foreach (var file in plan.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var book = byPath.GetValueOrDefault(file.FullName);
            if (book is null)
            {
                book = await AddOrMoveAsync(db, plan, file, books, byPath, context, totals);
            }
            else if (book.SizeBytes != file.Length || book.FileModifiedAt != ModifiedAt(file) || book.IsMissing)
            {
                await RereadAsync(book, file, context, totals);
            }
            else
            {
                totals.Unchanged++;
                context.AddCounters(processed: 1, unchanged: 1);
            }

            if (book is not null)
            {
                seen.Add(book);
            }

            context.Advance(1, file.FullName);
            if (++pending >= BatchSize)
            {
                await db.SaveChangesAsync(CancellationToken.None);
                pending = 0;
            }
        }

        MarkMissing(books, seen, plan, totals, context);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task<Book?> AddOrMoveAsync(
        BookloreDbContext db,
        LibraryPlan plan,
        FileInfo file,
        List<Book> books,
        Dictionary<string, Book> byPath,
        RunContext context,
        ScanTotals totals)
    {
        string fingerprint;
        try
        {
            fingerprint = await BookFiles.FingerprintAsync(file.FullName, context.CancellationToken);
        }
        catch (IOException exception)
        {
            return Fail(file, exception.Message, context, totals);
        }
        catch (UnauthorizedAccessException exception)
        {
            return Fail(file, exception.Message, context, totals);
        }

        var moved = books.FirstOrDefault(book => book.Fingerprint == fingerprint && !File.Exists(book.Path));
        if (moved is not null)
        {
            LogMoved(context.RunId, moved.Id, moved.Path, file.FullName);
            byPath.Remove(moved.Path);
            moved.Path = file.FullName;
            moved.IsMissing = false;
            byPath[moved.Path] = moved;
            totals.Moved++;
            context.AddCounters(processed: 1, changed: 1);
            return moved;
        }

        var result = reader.Read(file.FullName, context.CancellationToken);
        var book = new Book
        {
            LibraryId = plan.Library.Id,
            Path = file.FullName,
            Format = result.Format,
            SizeBytes = file.Length,
            FileModifiedAt = ModifiedAt(file),
            Fingerprint = fingerprint,
            AddedAt = time.GetUtcNow(),
        };
        var metadata = result.Metadata ?? new BookMetadata();
        book.SetMetadata(metadata with { Title = metadata.Title ?? Path.GetFileNameWithoutExtension(file.Name) });
        if (result.Metadata is not null)
        {
            book.SetFileMetadata(result.Metadata, file.Length, ModifiedAt(file));
        }

        foreach (var field in MetadataFieldValues.All.Where(field => MetadataFieldValues.Format(metadata, field) is not null))
        {
            book.SetFieldSource(field, "file");
        }

        if (!result.Succeeded)
        {
            ReportUnreadable(file.FullName, null, result.Error, context, totals);
        }

        db.Books.Add(book);
        books.Add(book);
        byPath[book.Path] = book;
        totals.Added++;
        context.AddCounters(processed: 1, changed: 1);
        return book;
    }

    private async Task RereadAsync(Book book, FileInfo file, RunContext context, ScanTotals totals)
    {
        string fingerprint;
        try
        {
            fingerprint = await BookFiles.FingerprintAsync(file.FullName, context.CancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The file vanished or became unreadable after the listing: the book keeps its row as it is.
            ReportUnreadable(file.FullName, book.Id, exception.Message, context, totals);
            context.AddCounters(processed: 1);
            return;
        }

        var wasMissing = book.IsMissing;
        book.IsMissing = false;
        book.SizeBytes = file.Length;
        book.FileModifiedAt = ModifiedAt(file);
        book.Fingerprint = fingerprint;

        var result = reader.Read(file.FullName, context.CancellationToken);
        if (!result.Succeeded)
        {
            ReportUnreadable(file.FullName, book.Id, result.Error, context, totals);
        }
        else
        {
            book.SetFileMetadata(result.Metadata!, file.Length, ModifiedAt(file));
            var merge = MetadataMerger.Merge(book.GetMetadata(), result.Metadata!, book.GetLockedFields(), ReplaceMode.Missing, clearEmpty: false);
            book.SetMetadata(merge.Metadata);
            foreach (var change in merge.Changes)
            {
                book.SetFieldSource(change.Field, "file");
            }
        }

        if (wasMissing)
        {
            totals.Returned++;
        }
        else
        {
            totals.Changed++;
        }

        context.AddCounters(processed: 1, changed: 1);
    }

    private static void MarkMissing(List<Book> books, HashSet<Book> seen, LibraryPlan plan, ScanTotals totals, RunContext context)
    {
        foreach (var book in books.Where(book => !seen.Contains(book) && !book.IsMissing))
        {
            var inScannedFolder = plan.ScannedFolders.Any(folder =>
                book.Path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            if (inScannedFolder)
            {
                book.IsMissing = true;
                totals.Missing++;
                context.AddCounters(changed: 1);
            }
        }
    }

    private static Book? Fail(FileInfo file, string reason, RunContext context, ScanTotals totals)
    {
        ReportUnreadable(file.FullName, null, reason, context, totals);
        context.AddCounters(processed: 1);
        return null;
    }

    private static void ReportUnreadable(string path, int? bookId, string? reason, RunContext context, ScanTotals totals)
    {
        totals.Failed++;
        context.AddCounters(failed: 1);
        context.AddWarning($"The file could not be read: {reason}", path, bookId);
    }

    private static DateTimeOffset ModifiedAt(FileInfo file) => new(file.LastWriteTimeUtc, TimeSpan.Zero);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: book {BookId} moved from {OldPath} to {NewPath}")]
    private partial void LogMoved(long runId, int bookId, string oldPath, string newPath);

    private sealed record LibraryPlan(Data.Library Library, List<FileInfo> Files, List<string> ScannedFolders);

    private sealed class ScanTotals
    {
        public long Added { get; set; }
        public long Changed { get; set; }
        public long Moved { get; set; }
        public long Returned { get; set; }
        public long Missing { get; set; }
        public long Unchanged { get; set; }
        public long Failed { get; set; }

        public string Describe() => string.Create(
            CultureInfo.InvariantCulture,
            $"Found {Added:N0} new, {Changed:N0} changed, {Moved:N0} moved and {Returned:N0} returned files; "
            + $"{Missing:N0} books marked missing, {Unchanged:N0} unchanged, {Failed:N0} files could not be read.");
    }
}
