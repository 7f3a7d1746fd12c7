using System.Collections.Concurrent;
using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Services.Library;

/// <summary>
/// Finds new, changed, moved and removed book files. New files become books with their file
/// metadata, and changed files fill the fields their books are missing. Moved files (same
/// fingerprint) keep their book and its edits. Removed files are marked missing, never deleted.
/// A library folder that does not exist is reported and its books are left as they are, so an
/// unmounted share loses nothing. Files are inspected in parallel and written in batches.
/// </summary>
public sealed partial class ScanLibraryTask(
    IDbContextFactory<BookloreDbContext> contextFactory,
    IBookFileReader reader,
    TimeProvider time,
    ILogger<ScanLibraryTask> logger) : IMaintenanceTask
{
    private const int BatchSize = 256;
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
        if (options.LibraryId is { } requested && libraries.Count == 0)
        {
            throw new InvalidOperationException($"There is no library with id {requested}; list them with GET /api/v1/libraries.");
        }

        context.SetMessage("Listing files.");
        var plans = libraries.Select(library => PlanLibrary(library, context)).ToList();
        context.SetTotal(plans.Sum(plan => plan.Files.Count));
        context.SetMessage($"Scanning {plans.Sum(plan => plan.Files.Count):N0} files.");

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

        return new LibraryPlan(library, [.. files.OrderBy(file => file.FullName, StringComparer.Ordinal)], scannedFolders);
    }

    private async Task ScanLibraryAsync(LibraryPlan plan, RunContext context, ScanTotals totals)
    {
        var known = await LoadKnownBooksAsync(plan.Library.Id, context.CancellationToken);
        var byPath = known.ToDictionary(book => book.Path, StringComparer.Ordinal);
        var onDisk = plan.Files.Select(file => file.FullName).ToHashSet(StringComparer.Ordinal);

        // Books whose file is no longer at its path may have moved: a new file with the same fingerprint is that book.
        var moveCandidates = known
            .Where(book => book.Fingerprint is not null && !onDisk.Contains(book.Path))
            .GroupBy(book => book.Fingerprint!)
            .ToDictionary(group => group.Key, group => new Queue<KnownBook>(group), StringComparer.Ordinal);
        var seen = new HashSet<int>();

        foreach (var batch in plan.Files.Chunk(BatchSize))
        {
            var inspected = await InspectBatchAsync(batch, byPath, context);
            await WriteBatchAsync(plan, inspected, moveCandidates, seen, context, totals);
            context.Advance(inspected.Count, inspected.Count > 0 ? inspected[^1].File.FullName : null);
            context.CancellationToken.ThrowIfCancellationRequested();
        }

        await MarkMissingAsync(plan, known, seen, context, totals);
    }

    private async Task<List<KnownBook>> LoadKnownBooksAsync(int libraryId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Books.AsNoTracking()
            .Where(book => book.LibraryId == libraryId)
            .Select(book => new KnownBook(book.Id, book.Path, book.SizeBytes, book.FileModifiedAt, book.IsMissing, book.Fingerprint))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Decides for each file of a batch whether it is new, changed or unchanged, and fingerprints
    /// and reads the new and changed ones on every core. On cancellation the files inspected so
    /// far are returned, so they are still written before the run stops.
    /// </summary>
    private async Task<List<InspectedFile>> InspectBatchAsync(FileInfo[] batch, Dictionary<string, KnownBook> byPath, RunContext context)
    {
        var inspected = new ConcurrentBag<InspectedFile>();
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Environment.ProcessorCount,
            CancellationToken = context.CancellationToken,
        };
        try
        {
            await Parallel.ForEachAsync(batch, parallel, async (file, token) =>
            {
                context.Advance(0, file.FullName);
                inspected.Add(await InspectAsync(file, byPath.GetValueOrDefault(file.FullName), token));
            });
        }
        catch (OperationCanceledException)
        {
            // Fall through: the caller writes what was inspected and then stops.
        }

        return [.. inspected.OrderBy(item => item.File.FullName, StringComparer.Ordinal)];
    }

    private async Task<InspectedFile> InspectAsync(FileInfo file, KnownBook? known, CancellationToken cancellationToken)
    {
        if (known is not null && !known.IsMissing && known.SizeBytes == file.Length && known.ModifiedAt == BookFiles.ModifiedAt(file))
        {
            return new InspectedFile(file, known, Fingerprint: null, Result: null, Error: null);
        }

        try
        {
            var fingerprint = await BookFiles.FingerprintAsync(file.FullName, cancellationToken);
            return new InspectedFile(file, known, fingerprint, reader.Read(file.FullName, cancellationToken), Error: null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new InspectedFile(file, known, Fingerprint: null, Result: null, Error: exception.Message);
        }
    }

    private async Task WriteBatchAsync(
        LibraryPlan plan,
        List<InspectedFile> inspected,
        Dictionary<string, Queue<KnownBook>> moveCandidates,
        HashSet<int> seen,
        RunContext context,
        ScanTotals totals)
    {
        // The write is not cancellable: a batch that was inspected is written whole.
        await using var db = await contextFactory.CreateDbContextAsync(CancellationToken.None);

        // Microsoft.Data.Sqlite begins the transaction with BEGIN IMMEDIATE, so a manual edit or an
        // undo cannot land between this read and the write and then be overwritten by it.
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var targets = AssignTargets(inspected, moveCandidates);
        var rows = await db.Books
            .Where(book => targets.Values.Contains(book.Id))
            .ToDictionaryAsync(book => book.Id, CancellationToken.None);

        foreach (var item in inspected)
        {
            var row = targets.TryGetValue(item.File.FullName, out var id) ? rows.GetValueOrDefault(id) : null;
            ApplyOne(db, plan, item, row, seen, context, totals);
        }

        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <summary>Marks books missing whose file was not found in a folder that was scanned.</summary>
    private async Task MarkMissingAsync(LibraryPlan plan, List<KnownBook> known, HashSet<int> seen, RunContext context, ScanTotals totals)
    {
        var folders = plan.ScannedFolders
            .Select(folder => folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar)
            .ToList();
        var missing = known
            .Where(book => !book.IsMissing && !seen.Contains(book.Id))
            .Where(book => folders.Any(folder => book.Path.StartsWith(folder, StringComparison.Ordinal)))
            .Select(book => book.Id)
            .ToList();

        await using var db = await contextFactory.CreateDbContextAsync(CancellationToken.None);
        foreach (var chunk in missing.Chunk(500))
        {
            await db.Books.Where(book => chunk.Contains(book.Id))
                .ExecuteUpdateAsync(setters => setters.SetProperty(book => book.IsMissing, true), CancellationToken.None);
        }

        totals.Missing += missing.Count;
        context.AddCounters(changed: missing.Count);
    }

    private static void ReportUnreadable(string path, int? bookId, string? reason, RunContext context, ScanTotals totals)
    {
        totals.Failed++;
        context.AddCounters(failed: 1);
        context.AddWarning($"The file could not be read: {reason}", path, bookId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: book {BookId} moved from {OldPath} to {NewPath}")]
    private partial void LogMoved(long runId, int bookId, string oldPath, string newPath);

    private sealed record LibraryPlan(Data.Library Library, List<FileInfo> Files, List<string> ScannedFolders);

    /// <summary>What the scan needs of a stored book, read without tracking.</summary>
    private sealed record KnownBook(int Id, string Path, long SizeBytes, DateTimeOffset ModifiedAt, bool IsMissing, string? Fingerprint);

    /// <summary>
    /// A file with what inspecting it found: an unchanged known book (no result), a fingerprint and
    /// a read result for a new or changed file, or the error that stopped it being opened.
    /// </summary>
    private sealed record InspectedFile(FileInfo File, KnownBook? Known, string? Fingerprint, MetadataReadResult? Result, string? Error);
}
