using System.IO.Compression;
using System.Text;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Tests.Services.Library;

/// <summary>Libraries with broken files, odd names and links: every case ends as a warning, never a failed run.</summary>
public sealed class MalformedLibraryTests
{
    [Fact]
    public async Task Scan_FolderLinkLoop_ListsFilesOnce()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        LibraryGenerator.Generate(bed.LibraryFolder, 3, corruptEvery: 0);
        var loop = Path.Combine(bed.LibraryFolder, "loop");
        Directory.CreateSymbolicLink(loop, bed.LibraryFolder);

        var run = await bed.RunAsync(TaskKeys.ScanLibrary);

        Assert.Equal(RunState.Warning, run.State);
        await using var context = bed.Database.CreateDbContext();
        Assert.Equal(3, await context.Books.CountAsync());
        var issue = Assert.Single(await bed.Engine.Registry.GetIssuesAsync(run.Id, 10, CancellationToken.None));
        Assert.Equal(loop, issue.Path);
        Assert.Contains("not followed", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_LinkToOutsideFolder_IsFollowed()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var outside = Directory.CreateDirectory(Path.Combine(bed.Database.Folder, "outside")).FullName;
        LibraryGenerator.Generate(outside, 2, corruptEvery: 0);
        Directory.CreateSymbolicLink(Path.Combine(bed.LibraryFolder, "linked"), outside);
        Directory.CreateSymbolicLink(Path.Combine(outside, "back"), bed.LibraryFolder);

        var run = await bed.RunAsync(TaskKeys.ScanLibrary);

        await using var context = bed.Database.CreateDbContext();
        var paths = await context.Books.Select(book => book.Path).ToListAsync();
        Assert.Equal(2, paths.Count);
        Assert.All(paths, path => Assert.StartsWith(Path.Combine(bed.LibraryFolder, "linked") + "/", path, StringComparison.Ordinal));
        Assert.Equal(RunState.Warning, run.State);
    }

    [Fact]
    public async Task Scan_MalformedFiles_WarnsWithPathAndReason()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        LibraryGenerator.Generate(bed.LibraryFolder, 2, corruptEvery: 0);
        var good = Directory.GetFiles(bed.LibraryFolder, "*.epub", SearchOption.AllDirectories).First();
        var folder = bed.LibraryFolder;
        var broken = new[]
        {
            Path.Combine(folder, "zero.epub"),
            Path.Combine(folder, "truncated.cbz"),
            Path.Combine(folder, "page.pdf"),
            Path.Combine(folder, "huge.cbz"),
            Path.Combine(folder, "self.pdf"),
            Path.Combine(folder, "dangling.epub"),
        };
        File.WriteAllBytes(broken[0], []);
        File.WriteAllBytes(broken[1], File.ReadAllBytes(good)[..200]);
        File.WriteAllText(broken[2], "<!DOCTYPE html><html><body>not a pdf</body></html>");
        WriteComicWithHugeComicInfo(broken[3]);
        File.CreateSymbolicLink(broken[4], broken[4]);
        File.CreateSymbolicLink(broken[5], Path.Combine(folder, "nowhere.epub"));
        Directory.CreateDirectory(Path.Combine(folder, "folder.epub"));
        var longName = Path.Combine(folder, new string('a', 250) + ".epub");
        var oddName = Path.Combine(folder, "new\nline ✓ 本.epub");
        File.Copy(good, longName);
        File.Copy(good, oddName);

        var scan = await bed.RunAsync(TaskKeys.ScanLibrary);
        var refresh = await bed.RunAsync(TaskKeys.RefreshMetadata, new { replaceMode = "all", force = true });

        Assert.Equal(RunState.Warning, scan.State);
        Assert.Equal(RunState.Warning, refresh.State);
        var issues = await bed.Engine.Registry.GetIssuesAsync(scan.Id, 100, CancellationToken.None);
        foreach (var path in broken)
        {
            var issue = Assert.Single(issues, issue => issue.Path == path);
            Assert.False(string.IsNullOrWhiteSpace(issue.Message));
        }

        Assert.Equal(broken.Length, issues.Count);
        Assert.Equal((await bed.GetBookAsync(good)).Title, (await bed.GetBookAsync(longName)).Title);
        Assert.Equal((await bed.GetBookAsync(good)).Title, (await bed.GetBookAsync(oddName)).Title);
        Assert.Equal("zero", (await bed.GetBookAsync(broken[0])).Title);
    }

    [Fact]
    public async Task Scan_FileDeletedAfterListing_Warns()
    {
        var reader = new DeletingReader();
        await using var bed = await TaskTestBed.CreateAsync(reader);
        var first = Path.Combine(bed.LibraryFolder, "a.epub");
        var second = Path.Combine(bed.LibraryFolder, "b.epub");
        LibraryGenerator.Generate(bed.LibraryFolder, 1, corruptEvery: 0);
        File.Move(Directory.GetFiles(bed.LibraryFolder, "*.epub", SearchOption.AllDirectories).Single(), second);
        await bed.RunAsync(TaskKeys.ScanLibrary);
        var before = await bed.GetBookAsync(second);
        File.Copy(second, first);
        File.AppendAllText(second, "changed");
        // The changed file vanishes between the listing and its read. Deleting it while another
        // file is read raced the parallel reads, which sometimes read it first.
        reader.DeleteWhenReading = (second, second);

        var run = await bed.RunAsync(TaskKeys.ScanLibrary);

        Assert.Equal(RunState.Warning, run.State);
        var issue = Assert.Single(await bed.Engine.Registry.GetIssuesAsync(run.Id, 10, CancellationToken.None));
        Assert.Equal(second, issue.Path);
        Assert.Contains("could not", issue.Message, StringComparison.OrdinalIgnoreCase);
        var after = await bed.GetBookAsync(second);
        Assert.Equal(before.Title, after.Title);
        Assert.Equal(before.AuthorsJson, after.AuthorsJson);
    }

    private static void WriteComicWithHugeComicInfo(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry("ComicInfo.xml").Open(), Encoding.UTF8))
        {
            writer.Write("<ComicInfo><Title>Huge</Title><Summary>");
            writer.Write(new string('x', 6 * 1024 * 1024));
            writer.Write("</Summary></ComicInfo>");
        }

        zip.CreateEntry("001.png");
    }

    /// <summary>The real reader, which deletes one file while it reads another, as a user might during a scan.</summary>
    private sealed class DeletingReader : IBookFileReader
    {
        private readonly BookFileReader _reader = new();

        public (string Reading, string Delete)? DeleteWhenReading { get; set; }

        public BookFormat DetectFormat(string path) => _reader.DetectFormat(path);

        public MetadataReadResult Read(string path, CancellationToken cancellationToken)
        {
            if (DeleteWhenReading is { } pair && pair.Reading == path)
            {
                File.Delete(pair.Delete);
            }

            return _reader.Read(path, cancellationToken);
        }
    }
}
