using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Booklore.Tasks.Tests.Services.Refresh;

/// <summary>
/// Cases that try to make a refresh pass by a book it should merge, or mark a book settled that
/// is not, through paths the settled mark has to survive.
/// </summary>
public sealed class RefreshSettledAttackTests
{
    private static readonly RefreshOptions MissingOnly = new();
    private static readonly RefreshOptions ReplaceAll = new() { ReplaceMode = ReplaceMode.All };
    private static readonly RefreshOptions ClearEmpty = new() { ReplaceMode = ReplaceMode.All, ClearEmpty = true };

    [Fact]
    public async Task EditOfPassedByBook_LeavesItUnmarked()
    {
        // Book 2 is passed by when its batch loads. The edit lands while book 1, whose file was
        // touched, is read, and that batch then writes. Unless the refresh merged book 2 again, it
        // must leave book 2 unmarked, so that the next run merges the edit.
        Func<Task>? editWhileReading = null;
        var reader = new HookedReader(new BookFileReader(), _ =>
        {
            var edit = Interlocked.Exchange(ref editWhileReading, null);
            edit?.Invoke().GetAwaiter().GetResult();
        });
        await using var bed = await TaskTestBed.CreateAsync(reader);
        LibraryGenerator.Generate(bed.LibraryFolder, 2, corruptEvery: 0);
        await bed.RunAsync(TaskKeys.ScanLibrary);
        var books = await LoadBooksAsync(bed);
        var (touched, edited) = (books[0], books[1]);
        File.SetLastWriteTimeUtc(touched.Path, File.GetLastWriteTimeUtc(touched.Path).AddMinutes(1));
        var service = new BookService(
            bed.Database,
            new BookEditValidator(),
            new StaticOptionsMonitor<BookEditOptions>(new BookEditOptions { LockOnEdit = false }),
            NullLogger<BookService>.Instance);
        editWhileReading = async () =>
        {
            var result = await service.UpdateAsync(edited.Id, new BookEdit { Title = "A title of my own" }, CancellationToken.None);
            Assert.Equal(BookEditStatus.Updated, result.Status);
        };

        var first = await bed.RunAsync(TaskKeys.RefreshMetadata, ReplaceAll);

        Assert.Null(editWhileReading);
        Assert.Equal(RunState.Success, first.State);
        Assert.Equal(2, first.Counters.Processed);
        var afterFirst = await bed.GetBookAsync(edited.Path);
        if (afterFirst.Title != edited.Title)
        {
            Assert.Equal(0, afterFirst.RefreshSettledModes);
        }

        var second = await bed.RunAsync(TaskKeys.RefreshMetadata, ReplaceAll);

        Assert.Equal(RunState.Success, second.State);
        var afterSecond = await bed.GetBookAsync(edited.Path);
        Assert.Equal(edited.Title, afterSecond.Title);
        Assert.True(SettledModes.Covers(afterSecond.RefreshSettledModes, ReplaceAll));
    }

    [Fact]
    public async Task CancelledRun_MarksOnlyBooksItWrote()
    {
        var reads = 0;
        TaskTestBed? running = null;
        var reader = new HookedReader(new BookFileReader(), _ =>
        {
            if (Interlocked.Increment(ref reads) == 40)
            {
                var run = running!.Engine.Registry.GetActiveRun(TaskKeys.RefreshMetadata)!;
                running.Engine.Registry.CancelAsync(run.Id, CancellationToken.None).GetAwaiter().GetResult();
            }
        });
        await using var bed = await TaskTestBed.CreateAsync(reader);
        running = bed;
        LibraryGenerator.Generate(bed.LibraryFolder, 300, corruptEvery: 0);
        reads = int.MinValue;
        await bed.RunAsync(TaskKeys.ScanLibrary);
        // The titles are blanked for the refresh to fill, and the files touched so that it reads each one.
        await ExecuteAsync(bed, "UPDATE books SET Title = NULL");
        foreach (var book in await LoadBooksAsync(bed))
        {
            File.SetLastWriteTimeUtc(book.Path, File.GetLastWriteTimeUtc(book.Path).AddMinutes(1));
        }

        reads = 0;
        var cancelled = await bed.RunAsync(TaskKeys.RefreshMetadata, MissingOnly);

        Assert.Equal(RunState.Cancelled, cancelled.State);
        Assert.InRange(cancelled.Counters.Processed, 1, 299);
        var written = await LoadBooksAsync(bed);
        Assert.Equal(cancelled.Counters.Processed, written.Count(book => book.Title is not null));
        Assert.Equal(cancelled.Counters.Processed, written.Count(book => book.RefreshSettledModes != 0));
        Assert.All(written.Where(book => book.Title is null), book => Assert.Equal(0, book.RefreshSettledModes));

        reads = int.MinValue;
        var rerun = await bed.RunAsync(TaskKeys.RefreshMetadata, MissingOnly);

        Assert.Equal(RunState.Success, rerun.State);
        Assert.Equal(300, rerun.Counters.Processed);
        Assert.Equal(300 - cancelled.Counters.Processed, rerun.Counters.Changed);
        Assert.Contains($"{cancelled.Counters.Processed} unchanged files not reread", rerun.Summary, StringComparison.Ordinal);
        Assert.All(await LoadBooksAsync(bed), book => Assert.NotNull(book.Title));
    }

    [Fact]
    public async Task SeveralBatches_CountPassedByBooks()
    {
        // Every third file is touched, so each batch has books passed by beside books reread.
        await using var bed = await TaskTestBed.CreateAsync();
        var count = (RefreshMetadataTask.BatchSize * 2) + 88;
        LibraryGenerator.Generate(bed.LibraryFolder, count, corruptEvery: 0);
        await bed.RunAsync(TaskKeys.ScanLibrary);
        var touched = (await LoadBooksAsync(bed)).Where((_, index) => index % 3 == 0).ToList();
        foreach (var book in touched)
        {
            File.SetLastWriteTimeUtc(book.Path, File.GetLastWriteTimeUtc(book.Path).AddMinutes(1));
        }

        var mixed = await bed.RunAsync(TaskKeys.RefreshMetadata, ClearEmpty);

        Assert.Equal(RunState.Success, mixed.State);
        Assert.Equal(count, mixed.Counters.Processed);
        Assert.Equal(count, mixed.Counters.Unchanged);
        Assert.Equal(count, mixed.Progress.Done);
        Assert.Contains($"{count - touched.Count} unchanged files not reread", mixed.Summary, StringComparison.Ordinal);
        Assert.All(await LoadBooksAsync(bed), book => Assert.True(SettledModes.Covers(book.RefreshSettledModes, ClearEmpty), book.Path));

        var settled = await bed.RunAsync(TaskKeys.RefreshMetadata, MissingOnly);

        Assert.Equal(count, settled.Counters.Processed);
        Assert.Equal(count, settled.Counters.Unchanged);
        Assert.Contains($"{count} unchanged files not reread", settled.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TaskKeys.RefreshMetadata, false)]
    [InlineData(TaskKeys.ScanLibrary, false)]
    [InlineData(TaskKeys.RefreshMetadata, true)]
    public async Task RepairedFile_ReadAgain_TakesItsFormat(string firstReader, bool formatLeftUnknown)
    {
        // A file added while unreadable is stored with format Unknown, and Unknown clears no field.
        // After the repaired EPUB is read once, later refreshes reuse that read and must clear by
        // the EPUB's fields, as a reread of the file does. With formatLeftUnknown the row keeps
        // Unknown beside that read, as versions that never updated the format left it.
        await using var bed = await TaskTestBed.CreateAsync();
        var path = Path.Combine(bed.LibraryFolder, "Broken Book.epub");
        await File.WriteAllTextAsync(path, "not a zip");
        await bed.RunAsync(TaskKeys.ScanLibrary);
        Assert.Equal(BookFormat.Unknown, (await bed.GetBookAsync(path)).Format);
        CopyGeneratedEpub(path);
        Assert.Null(new BookFileReader().Read(path, CancellationToken.None).Metadata!.Subtitle);

        var read = await bed.RunAsync(firstReader, firstReader == TaskKeys.RefreshMetadata ? MissingOnly : null);
        Assert.Equal(RunState.Success, read.State);
        Assert.Equal(BookFormat.Epub, (await bed.GetBookAsync(path)).Format);
        if (formatLeftUnknown)
        {
            await ExecuteAsync(bed, "UPDATE books SET Format = 'Unknown'");
        }

        await bed.UpdateBookAsync(path, book => book.Subtitle = "A subtitle of my own");
        var cleared = await bed.RunAsync(TaskKeys.RefreshMetadata, ClearEmpty);

        Assert.Equal(RunState.Success, cleared.State);
        Assert.Equal(1, cleared.Counters.Changed);
        var book = await bed.GetBookAsync(path);
        Assert.Null(book.Subtitle);
        Assert.Equal(BookFormat.Epub, book.Format);
        Assert.True(SettledModes.Covers(book.RefreshSettledModes, ClearEmpty));
    }

    private static async Task ExecuteAsync(TaskTestBed bed, string sql)
    {
        await using var context = bed.Database.CreateDbContext();
        await context.Database.ExecuteSqlRawAsync(sql);
    }

    private static async Task<List<Book>> LoadBooksAsync(TaskTestBed bed)
    {
        await using var context = bed.Database.CreateDbContext();
        return await context.Books.AsNoTracking().OrderBy(book => book.Id).ToListAsync();
    }

    private static void CopyGeneratedEpub(string target)
    {
        var folder = Directory.CreateTempSubdirectory("booklore-repaired-");
        try
        {
            LibraryGenerator.Generate(folder.FullName, 1, corruptEvery: 0);
            File.Copy(Directory.GetFiles(folder.FullName, "*.epub", SearchOption.AllDirectories).Single(), target, overwrite: true);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
