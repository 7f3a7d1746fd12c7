using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Tests.Services.Library;

public sealed class ScanLibraryTaskTests
{
    [Fact]
    public async Task Scan_NewFiles_AddsBooksWithFileMetadata()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var generated = LibraryGenerator.Generate(bed.LibraryFolder, 40, corruptEvery: 10);

        var run = await bed.RunAsync(TaskKeys.ScanLibrary);

        Assert.Equal(RunState.Warning, run.State);
        Assert.Equal(40, run.Counters.Processed);
        Assert.Equal(generated.Corrupt, run.Counters.Failed);
        await using var context = bed.Database.CreateDbContext();
        var books = await context.Books.AsNoTracking().ToListAsync();
        Assert.Equal(40, books.Count);
        Assert.DoesNotContain(books, book => book.IsMissing);
        Assert.All(books, book => Assert.False(string.IsNullOrWhiteSpace(book.Title)));
        Assert.All(books, book => Assert.NotNull(book.Fingerprint));
        Assert.Equal(40 - generated.Corrupt, books.Count(book => book.AuthorsJson != "[]"));
    }

    [Fact]
    public async Task Scan_UnreadableNewFile_UsesFileNameAsTitle()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = Path.Combine(bed.LibraryFolder, "Broken Book.epub");
        await File.WriteAllTextAsync(path, "not a zip");

        var run = await bed.RunAsync(TaskKeys.ScanLibrary);

        Assert.Equal(RunState.Warning, run.State);
        Assert.Equal("Broken Book", (await bed.GetBookAsync(path)).Title);
        var issue = Assert.Single(await bed.Engine.Registry.GetIssuesAsync(run.Id, 10, CancellationToken.None));
        Assert.Equal(path, issue.Path);
    }

    [Fact]
    public async Task Scan_RenamedUnreadableFile_TitleFollowsName()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = Path.Combine(bed.LibraryFolder, "Old Name.epub");
        await File.WriteAllTextAsync(path, "not a zip");
        await bed.RunAsync(TaskKeys.ScanLibrary);
        var bookId = (await bed.GetBookAsync(path)).Id;
        var renamed = Path.Combine(bed.LibraryFolder, "New Name.epub");
        File.Move(path, renamed);

        var run = await bed.RunAsync(TaskKeys.ScanLibrary);

        Assert.Contains("1 moved", run.Summary, StringComparison.Ordinal);
        var book = await bed.GetBookAsync(renamed);
        Assert.Equal(bookId, book.Id);
        Assert.Equal("New Name", book.Title);
    }

    [Fact]
    public async Task Scan_MovedFile_KeepsBookAndEdits()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        LibraryGenerator.Generate(bed.LibraryFolder, 1, corruptEvery: 0);
        await bed.RunAsync(TaskKeys.ScanLibrary);
        var original = Directory.GetFiles(bed.LibraryFolder, "*.epub", SearchOption.AllDirectories).Single();
        await bed.UpdateBookAsync(original, book =>
        {
            book.Title = "Edited";
            book.Rating = 5;
        });
        var bookId = (await bed.GetBookAsync(original)).Id;
        var moved = Path.Combine(bed.LibraryFolder, "moved", "renamed.epub");
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        File.Move(original, moved);

        var run = await bed.RunAsync(TaskKeys.ScanLibrary);

        var book = await bed.GetBookAsync(moved);
        Assert.Equal(bookId, book.Id);
        Assert.Equal("Edited", book.Title);
        Assert.Equal(5, book.Rating);
        Assert.False(book.IsMissing);
        Assert.Contains("1 moved", run.Summary, StringComparison.Ordinal);
        await using var context = bed.Database.CreateDbContext();
        Assert.Equal(1, await context.Books.CountAsync());
    }

    [Fact]
    public async Task Scan_RemovedFile_MarksMissingAndReturnRestores()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        LibraryGenerator.Generate(bed.LibraryFolder, 1, corruptEvery: 0);
        await bed.RunAsync(TaskKeys.ScanLibrary);
        var path = Directory.GetFiles(bed.LibraryFolder, "*.epub", SearchOption.AllDirectories).Single();
        var aside = Path.Combine(bed.Database.Folder, "aside.epub");
        File.Move(path, aside);

        await bed.RunAsync(TaskKeys.ScanLibrary);
        var missing = await bed.GetBookAsync(path);
        File.Move(aside, path);
        await bed.RunAsync(TaskKeys.ScanLibrary);
        var returned = await bed.GetBookAsync(path);

        Assert.True(missing.IsMissing);
        Assert.False(returned.IsMissing);
        Assert.Equal(missing.Id, returned.Id);
    }

    [Fact]
    public async Task Scan_FolderUnmounted_KeepsBooksAndWarns()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        LibraryGenerator.Generate(bed.LibraryFolder, 3, corruptEvery: 0);
        await bed.RunAsync(TaskKeys.ScanLibrary);
        Directory.Move(bed.LibraryFolder, bed.LibraryFolder + "-unmounted");

        var run = await bed.RunAsync(TaskKeys.ScanLibrary);

        Assert.Equal(RunState.Warning, run.State);
        await using var context = bed.Database.CreateDbContext();
        Assert.Equal(3, await context.Books.CountAsync(book => !book.IsMissing));
        var issue = Assert.Single(await bed.Engine.Registry.GetIssuesAsync(run.Id, 10, CancellationToken.None));
        Assert.Equal(bed.LibraryFolder, issue.Path);
        Assert.Contains("not mounted", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_ChangedFile_FillsMissingFieldsOnly()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        LibraryGenerator.Generate(bed.LibraryFolder, 1, corruptEvery: 0);
        await bed.RunAsync(TaskKeys.ScanLibrary);
        var path = Directory.GetFiles(bed.LibraryFolder, "*.epub", SearchOption.AllDirectories).Single();
        await bed.UpdateBookAsync(path, book =>
        {
            book.Title = "Kept";
            book.Publisher = null;
        });
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(5));

        var run = await bed.RunAsync(TaskKeys.ScanLibrary);

        var book = await bed.GetBookAsync(path);
        Assert.Equal("Kept", book.Title);
        Assert.NotNull(book.Publisher);
        Assert.Contains("1 changed", run.Summary, StringComparison.Ordinal);
    }
}
