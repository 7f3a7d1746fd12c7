using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Tests.Services.Refresh;

/// <summary>
/// A refresh passes by a book that is settled under its mode while the book's file is unchanged.
/// These tests pin when a book counts as settled, and that every write that matters undoes it.
/// </summary>
public sealed class RefreshSettledTests
{
    private static readonly RefreshOptions MissingOnly = new();
    private static readonly RefreshOptions ReplaceAll = new() { ReplaceMode = ReplaceMode.All };

    /// <summary>Columns no merge reads, so writing them leaves a book settled.</summary>
    private static readonly HashSet<string> ColumnsNoMergeReads =
    [
        nameof(Book.Id), nameof(Book.LibraryId), nameof(Book.SizeBytes), nameof(Book.FileModifiedAt),
        nameof(Book.Fingerprint), nameof(Book.IsMissing), nameof(Book.AddedAt), nameof(Book.LastReadAt),
        nameof(Book.Rating), nameof(Book.Notes), nameof(Book.ReadingProgress), nameof(Book.RefreshSettledModes),
    ];

    [Fact]
    public async Task Scan_NewBook_IsSettledUnderEveryMode()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        var unreadable = Path.Combine(bed.LibraryFolder, "Unreadable.epub");
        await File.WriteAllTextAsync(unreadable, "not a zip");

        await bed.RunAsync(TaskKeys.ScanLibrary);

        var book = await bed.GetBookAsync(path);
        Assert.True(SettledModes.Covers(book.RefreshSettledModes, MissingOnly));
        Assert.True(SettledModes.Covers(book.RefreshSettledModes, ReplaceAll));
        Assert.True(SettledModes.Covers(book.RefreshSettledModes, ReplaceAll with { ClearEmpty = true }));
        Assert.Equal(0, (await bed.GetBookAsync(unreadable)).RefreshSettledModes);
    }

    [Fact]
    public async Task Refresh_MarksBookUnderEveryMode()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddUnmarkedBookAsync(bed);

        await bed.RunAsync(TaskKeys.RefreshMetadata, MissingOnly);

        var book = await bed.GetBookAsync(path);
        Assert.True(SettledModes.Covers(book.RefreshSettledModes, MissingOnly));
        Assert.True(SettledModes.Covers(book.RefreshSettledModes, ReplaceAll));
        Assert.True(SettledModes.Covers(book.RefreshSettledModes, ReplaceAll with { ClearEmpty = true }));
    }

    [Fact]
    public async Task Refresh_SettledBook_IsPassedBy()
    {
        // A blank title that a merge would fill, on a book marked settled: only a refresh that
        // trusts the mark leaves it blank.
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        await bed.RunAsync(TaskKeys.RefreshMetadata, MissingOnly);
        var settled = (await bed.GetBookAsync(path)).RefreshSettledModes;
        await ExecuteAsync(bed, "UPDATE books SET Title = NULL");
        await ExecuteAsync(bed, $"UPDATE books SET RefreshSettledModes = {settled}");

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, MissingOnly);

        Assert.Equal(RunState.Success, run.State);
        Assert.Null((await bed.GetBookAsync(path)).Title);
        Assert.Equal(1, run.Counters.Processed);
        Assert.Equal(1, run.Counters.Unchanged);
        Assert.Contains("1 unchanged file not reread", run.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("touched file")]
    [InlineData("forced")]
    [InlineData("other mode")]
    [InlineData("older rules")]
    public async Task Refresh_InapplicableMark_MergesAgain(string reason)
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddUnmarkedBookAsync(bed);
        var fileTitle = (await bed.GetBookAsync(path)).Title;
        await bed.RunAsync(TaskKeys.RefreshMetadata, MissingOnly);
        await ExecuteAsync(bed, "UPDATE books SET Title = NULL");
        // A mark with the mode bits but no version of the rules, as rules older than these would leave it.
        var settled = SettledModes.For(MissingOnly);
        var mark = reason == "older rules" ? settled & 0b1111 : settled;
        await ExecuteAsync(bed, $"UPDATE books SET RefreshSettledModes = {mark}");
        if (reason == "touched file")
        {
            File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddMinutes(1));
        }

        var options = reason switch
        {
            "forced" => MissingOnly with { Force = true },
            "other mode" => ReplaceAll,
            _ => MissingOnly,
        };
        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, options);

        Assert.Equal(RunState.Success, run.State);
        Assert.NotNull(fileTitle);
        Assert.Equal(fileTitle, (await bed.GetBookAsync(path)).Title);
        Assert.Equal(1, run.Counters.Changed);
    }

    [Fact]
    public async Task Refresh_ReplaceAll_IgnoresMissingOnlyMark()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        var fileTitle = (await bed.GetBookAsync(path)).Title;
        await bed.UpdateBookAsync(path, book => book.Title = "A title of my own");
        var missing = await bed.RunAsync(TaskKeys.RefreshMetadata, MissingOnly);
        Assert.Equal(0, missing.Counters.Changed);
        var settled = (await bed.GetBookAsync(path)).RefreshSettledModes;
        Assert.True(SettledModes.Covers(settled, MissingOnly));
        Assert.False(SettledModes.Covers(settled, ReplaceAll));

        var all = await bed.RunAsync(TaskKeys.RefreshMetadata, ReplaceAll);

        Assert.Equal(1, all.Counters.Changed);
        var book = await bed.GetBookAsync(path);
        Assert.Equal(fileTitle, book.Title);
        Assert.True(SettledModes.Covers(book.RefreshSettledModes, ReplaceAll));
    }

    [Fact]
    public async Task Refresh_LockedField_CountedEveryRun()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        await bed.UpdateBookAsync(path, book =>
        {
            book.Title = "A locked title";
            book.SetLockedFields([MetadataField.Title]);
        });

        var first = await bed.RunAsync(TaskKeys.RefreshMetadata, ReplaceAll);
        var second = await bed.RunAsync(TaskKeys.RefreshMetadata, ReplaceAll);

        Assert.Equal(1, first.Counters.SkippedLocked);
        Assert.Equal(1, second.Counters.SkippedLocked);
        var book = await bed.GetBookAsync(path);
        Assert.Equal("A locked title", book.Title);
        Assert.Equal(0, book.RefreshSettledModes);
    }

    [Fact]
    public async Task Preview_WritesNoSettledMark()
    {
        // The edited book gives the preview a change to record, so its batch is the one that writes.
        await using var bed = await TaskTestBed.CreateAsync();
        LibraryGenerator.Generate(bed.LibraryFolder, 2, corruptEvery: 0);
        await bed.RunAsync(TaskKeys.ScanLibrary);
        await ExecuteAsync(bed, "UPDATE books SET RefreshSettledModes = 0");
        var paths = await LoadPathsAsync(bed);
        await bed.UpdateBookAsync(paths[0], book => book.Title = "A title of my own");

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, ReplaceAll with { DryRun = true });

        Assert.Equal(RunState.Success, run.State);
        Assert.Equal(1, run.Counters.Changed);
        foreach (var path in paths)
        {
            Assert.Equal(0, (await bed.GetBookAsync(path)).RefreshSettledModes);
        }
    }

    [Fact]
    public async Task EntityFrameworkEdit_ResetsSettledMark()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        await bed.RunAsync(TaskKeys.RefreshMetadata, MissingOnly);
        Assert.NotEqual(0, (await bed.GetBookAsync(path)).RefreshSettledModes);

        await bed.UpdateBookAsync(path, book => book.Publisher = "Another publisher");

        Assert.Equal(0, (await bed.GetBookAsync(path)).RefreshSettledModes);
    }

    [Fact]
    public async Task Trigger_MergeColumns_ResetMark()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        await bed.RunAsync(TaskKeys.RefreshMetadata, MissingOnly);
        var settled = (await bed.GetBookAsync(path)).RefreshSettledModes;
        Assert.NotEqual(0, settled);
        await using var context = bed.Database.CreateDbContext();
        var columns = context.Model.FindEntityType(typeof(Book))!.GetProperties().Select(property => property.GetColumnName()).ToList();

        var keepingMark = new List<string>();
        var resettingMark = new List<string>();
        foreach (var column in columns.Where(column => column != nameof(Book.RefreshSettledModes)))
        {
            await ExecuteAsync(bed, $"UPDATE books SET RefreshSettledModes = {settled}");
            // Setting a column to its own value is enough: the trigger fires on the write, not on a difference.
            await ExecuteAsync(bed, $"UPDATE books SET \"{column}\" = \"{column}\"");
            (((await bed.GetBookAsync(path)).RefreshSettledModes == 0) ? resettingMark : keepingMark).Add(column);
        }

        Assert.Equal(ColumnsNoMergeReads.Where(column => column != nameof(Book.RefreshSettledModes)).Order(), keepingMark.Order());
        Assert.Equal(columns.Except(ColumnsNoMergeReads).Order(), resettingMark.Order());
    }

    private static async Task ExecuteAsync(TaskTestBed bed, string sql)
    {
        await using var context = bed.Database.CreateDbContext();
        await context.Database.ExecuteSqlRawAsync(sql);
    }

    private static async Task<string> AddGeneratedBookAsync(TaskTestBed bed)
    {
        LibraryGenerator.Generate(bed.LibraryFolder, 1, corruptEvery: 0);
        var scan = await bed.RunAsync(TaskKeys.ScanLibrary);
        Assert.Equal(RunState.Success, scan.State);
        return Assert.Single(await LoadPathsAsync(bed));
    }

    /// <summary>Adds a book without the mark its scan gives it, as a book stored before marks existed.</summary>
    private static async Task<string> AddUnmarkedBookAsync(TaskTestBed bed)
    {
        var path = await AddGeneratedBookAsync(bed);
        await ExecuteAsync(bed, "UPDATE books SET RefreshSettledModes = 0");
        return path;
    }

    private static async Task<List<string>> LoadPathsAsync(TaskTestBed bed)
    {
        await using var context = bed.Database.CreateDbContext();
        return await context.Books.OrderBy(book => book.Id).Select(book => book.Path).ToListAsync();
    }
}
