using System.IO.Compression;
using Booklore.Tasks.Services.Caches;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.Services.Caches;

public sealed class ComicPageTests : IDisposable
{
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] PngMagic = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    private readonly CacheTestHost _host = new();

    [Fact]
    public void SelectPages_NumberedNames_SortsNaturallyIgnoringCase()
    {
        string[] keys = ["page10.jpg", "Page2.JPG", "page1.png", "chapter 2/page1.jpg", "Chapter 10/page1.jpg", "page002b.jpg"];

        var pages = ComicPageList.SelectPages(keys);

        Assert.Equal(["chapter 2/page1.jpg", "Chapter 10/page1.jpg", "page1.png", "Page2.JPG", "page002b.jpg", "page10.jpg"], pages);
    }

    [Theory]
    [InlineData("__MACOSX/01.jpg")]
    [InlineData("book/__MACOSX/._01.jpg")]
    [InlineData("._01.jpg")]
    [InlineData(".hidden/01.jpg")]
    [InlineData("book/thumbs/01.jpg")]
    [InlineData("book/Thumbnails/01.jpg")]
    [InlineData("ComicInfo.xml")]
    [InlineData("book/favicon.ico")]
    [InlineData("book/")]
    public void IsPage_SkippedEntry_ReturnsFalse(string entryKey)
    {
        Assert.False(ComicPageList.IsPage(entryKey));
    }

    [Theory]
    [InlineData("01.jpg")]
    [InlineData("a/b/01.JPEG")]
    [InlineData("p.webp")]
    [InlineData("p.avif")]
    [InlineData("p.jxl")]
    [InlineData("p.bmp")]
    [InlineData("p.gif")]
    [InlineData("thumbs.png")]
    public void IsPage_ImageEntry_ReturnsTrue(string entryKey)
    {
        Assert.True(ComicPageList.IsPage(entryKey));
    }

    [Fact]
    public async Task GetPageAsync_ComplexTreeCbz_HasNoPages()
    {
        // Its only images are .ico favicons, beside .DS_Store files, __MACOSX entries and ComicInfo.xml.
        var book = CacheTestHost.CorpusBook(1, "comics/stump/book-complex-tree.cbz", BookFormat.Cbz);

        var result = await _host.Pages.GetPageAsync(book, 1, null, CancellationToken.None);

        var notFound = Assert.IsType<BookPageNotFound>(result);
        Assert.Equal(0, notFound.PageCount);
    }

    [Fact]
    public async Task GetPageAsync_MacosResourceFork_SkipsAppleDoubleEntries()
    {
        var book = CacheTestHost.CorpusBook(2, "comics/comicbox/macos_resource_fork.cbz", BookFormat.Cbz);
        var expected = ReadZipEntry(book.Path, "CaptainScience#1_02.jpg");

        var page2 = await _host.ReadPageAsync(book, 2);
        var page3 = await _host.Pages.GetPageAsync(book, 3, null, CancellationToken.None);

        Assert.Equal(expected, page2);
        Assert.Equal(2, Assert.IsType<BookPageNotFound>(page3).PageCount);
    }

    [Fact]
    public async Task GetPageAsync_NestedMacosCbz_OrdersPagesByPath()
    {
        var book = CacheTestHost.CorpusBook(3, "comics/stump/nested-macos-compressed.cbz", BookFormat.Cbz);

        var result = await _host.Pages.GetPageAsync(book, 3, null, CancellationToken.None);

        var page = Assert.IsType<BookPageFound>(result);
        await page.Content.DisposeAsync();
        Assert.Equal(3, page.PageCount);
        Assert.Equal("0003.jpeg", Path.GetFileName(page.FilePath));
        Assert.Equal("image/jpeg", page.ContentType);
    }

    [Fact]
    public async Task GetPageAsync_SolidCb7_ExtractsEveryPageOnce()
    {
        var book = CacheTestHost.CorpusBook(4, "comics/comicbox/Captain Science #001.cb7", BookFormat.Cb7);
        var expected = ReadZipEntry(
            CacheTestHost.CorpusBook(0, "comics/comicbox/Captain Science #001.cbz", BookFormat.Cbz).Path,
            "Captain Science 001/CaptainScience#1_05.jpg");

        var page5 = await _host.ReadPageAsync(book, 5);

        Assert.Equal(expected, page5);
        var folder = _host.Caches.Cbx.GetBookFolder(book.Id);
        Assert.Equal(
            ["0001.jpg", "0002.jpg", "0003.jpg", "0004.jpg", "0005.jpg"],
            Directory.GetFiles(folder, "0*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetPageAsync_SolidRar5Cbr_ReturnsPngPages()
    {
        var book = CacheTestHost.CorpusBook(5, "comics/komga/rar5-solid.cbr", BookFormat.Cbr);

        var page3 = await _host.ReadPageAsync(book, 3);
        var page4 = await _host.Pages.GetPageAsync(book, 4, null, CancellationToken.None);

        Assert.Equal(PngMagic, page3[..4]);
        Assert.Equal(3, Assert.IsType<BookPageNotFound>(page4).PageCount);
    }

    [Fact]
    public async Task GetPageAsync_Rar4Cbr_ReturnsPage()
    {
        var book = CacheTestHost.CorpusBook(6, "comics/comicbox/Captain Science #001-cbi.cbr", BookFormat.Cbr);

        var page1 = await _host.ReadPageAsync(book, 1);

        Assert.Equal(4542, page1.Length);
        Assert.Equal(JpegMagic, page1[..3]);
    }

    [Fact]
    public async Task GetPageAsync_CbrThatIsZip_OpensByContent()
    {
        var path = Path.Combine(_host.DataPath, "really-a-zip.cbr");
        File.Copy(TestSupport.TestCorpus.GetPath("comics/comicbox/macos_resource_fork.cbz"), path);
        var book = CacheTestHost.FileBook(7, path, BookFormat.Cbr);

        var page1 = await _host.ReadPageAsync(book, 1);

        Assert.Equal(ReadZipEntry(path, "CaptainScience#1_01.jpg"), page1);
    }

    [Fact]
    public async Task GetPageAsync_SameNameInSubfolders_DoesNotCollide()
    {
        var path = CreateZip("same-names.cbz", ("chapter1/01.jpg", [1, 1, 1]), ("chapter2/01.jpg", [2, 2]));
        var book = CacheTestHost.FileBook(8, path, BookFormat.Cbz);

        var page1 = await _host.ReadPageAsync(book, 1);
        var page2 = await _host.ReadPageAsync(book, 2);

        Assert.Equal([1, 1, 1], page1);
        Assert.Equal([2, 2], page2);
    }

    [Fact]
    public async Task GetPageAsync_NumberedEntries_UsesNaturalOrder()
    {
        var path = CreateZip("numbers.cbz", ("page10.png", [10]), ("page2.png", [2]), ("page1.png", [1]), ("thumbs/page0.png", [0]));
        var book = CacheTestHost.FileBook(9, path, BookFormat.Cbz);

        var pages = new List<byte[]>();
        for (var pageNumber = 1; pageNumber <= 3; pageNumber++)
        {
            pages.Add(await _host.ReadPageAsync(book, pageNumber));
        }

        Assert.Equal([[1], [2], [10]], pages);
    }

    [Fact]
    public async Task GetPageAsync_CachedPage_DoesNotReopenArchive()
    {
        var path = CreateZip("reopen.cbz", ("01.png", [1, 2, 3]));
        var book = CacheTestHost.FileBook(10, path, BookFormat.Cbz);
        await _host.ReadPageAsync(book, 1);
        var writeTime = File.GetLastWriteTimeUtc(path);

        // Same length and write time, but no longer a readable archive.
        await File.WriteAllBytesAsync(path, new byte[new FileInfo(path).Length]);
        File.SetLastWriteTimeUtc(path, writeTime);
        var again = await _host.ReadPageAsync(book, 1);

        Assert.Equal([1, 2, 3], again);
    }

    [Fact]
    public async Task GetPageAsync_ArchiveChanged_DropsOldPages()
    {
        var path = CreateZip("changed.cbz", ("01.png", [1]));
        var book = CacheTestHost.FileBook(11, path, BookFormat.Cbz);
        await _host.ReadPageAsync(book, 1);

        File.Delete(path);
        CreateZip("changed.cbz", ("01.png", [7, 7]), ("02.png", [8]));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var page1 = await _host.ReadPageAsync(book, 1);

        Assert.Equal([7, 7], page1);
    }

    [Fact]
    public async Task GetPageAsync_Epub_ReturnsNotFound()
    {
        var book = CacheTestHost.CorpusBook(12, "epub/versone/Typical_EPUB3.epub", BookFormat.Epub);

        var result = await _host.Pages.GetPageAsync(book, 1, null, CancellationToken.None);

        Assert.Null(Assert.IsType<BookPageNotFound>(result).PageCount);
    }

    [Theory]
    [InlineData("comics/Science Comics 001 (1946) part 1.cbz", BookFormat.Cbz, 5)]
    [InlineData("comics/Science Comics 001 (1946) part 2.cb7", BookFormat.Cb7, 4)]
    [InlineData("comics/komga-rar4.cbr", BookFormat.Cbr, 3)]
    public async Task GetPageAsync_DemoLibraryComic_HasExpectedPages(string samplePath, BookFormat format, int pageCount)
    {
        var book = CacheTestHost.FileBook(13, Path.Combine(FindDemoLibrary(), samplePath), format);

        var last = await _host.ReadPageAsync(book, pageCount);
        var pastEnd = await _host.Pages.GetPageAsync(book, pageCount + 1, null, CancellationToken.None);

        Assert.NotEmpty(last);
        Assert.Equal(pageCount, Assert.IsType<BookPageNotFound>(pastEnd).PageCount);
    }

    public void Dispose() => _host.Dispose();

    private static string FindDemoLibrary()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "samples", "library");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"samples/library was not found above {AppContext.BaseDirectory}.");
    }

    private static byte[] ReadZipEntry(string zipPath, string entryName)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        using var entry = zip.GetEntry(entryName)!.Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }

    private string CreateZip(string fileName, params (string Name, byte[] Content)[] entries)
    {
        var path = Path.Combine(_host.DataPath, fileName);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(content);
        }

        return path;
    }
}
