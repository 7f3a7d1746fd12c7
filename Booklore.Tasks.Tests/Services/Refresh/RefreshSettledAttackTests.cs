using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Tests.Services.Refresh;

/// <summary>
/// Cases that try to make a refresh pass by a book it should merge, or mark a book settled that
/// is not, through paths the settled mark has to survive.
/// </summary>
public sealed class RefreshSettledAttackTests
{
    private static readonly RefreshOptions MissingOnly = new();
    private static readonly RefreshOptions ClearEmpty = new() { ReplaceMode = ReplaceMode.All, ClearEmpty = true };

    [Theory]
    [InlineData(TaskKeys.RefreshMetadata)]
    [InlineData(TaskKeys.ScanLibrary)]
    public async Task RepairedFile_ReadAgain_TakesItsFormat(string firstReader)
    {
        // A file added while unreadable is stored with format Unknown, and Unknown clears no field.
        // After the repaired EPUB is read once, later refreshes reuse that read and must clear by
        // the EPUB's fields, as a reread of the file does.
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
        await bed.UpdateBookAsync(path, book => book.Subtitle = "A subtitle of my own");
        var cleared = await bed.RunAsync(TaskKeys.RefreshMetadata, ClearEmpty);

        Assert.Equal(RunState.Success, cleared.State);
        Assert.Equal(1, cleared.Counters.Changed);
        var book = await bed.GetBookAsync(path);
        Assert.Null(book.Subtitle);
        Assert.True(SettledModes.Covers(book.RefreshSettledModes, ClearEmpty));
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
