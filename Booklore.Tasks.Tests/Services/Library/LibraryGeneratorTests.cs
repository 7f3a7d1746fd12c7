using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.Services.Library;

public sealed class LibraryGeneratorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("booklore-generator-").FullName;

    [Fact]
    public void Generate_CorruptSlots_CoverEveryFormatAndFailToRead()
    {
        var generated = LibraryGenerator.Generate(_folder, 400, corruptEvery: 100);

        var reader = new BookFileReader();
        var failed = Directory.GetFiles(_folder, "*", SearchOption.AllDirectories)
            .Where(path => !reader.Read(path, CancellationToken.None).Succeeded)
            .Select(path => Path.GetExtension(path))
            .ToList();
        Assert.Equal(4, generated.Corrupt);
        Assert.Equal(generated.Corrupt, failed.Count);
        Assert.Equal([".cbz", ".epub", ".pdf"], failed.Distinct().Order());
    }

    [Fact]
    public void Generate_SameSeed_WritesSameFiles()
    {
        var second = Path.Combine(_folder, "second");

        LibraryGenerator.Generate(Path.Combine(_folder, "first"), 20, seed: 7);
        LibraryGenerator.Generate(second, 20, seed: 7);

        var first = Directory.GetFiles(Path.Combine(_folder, "first"), "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Path.Combine(_folder, "first"), path)).Order().ToList();
        var again = Directory.GetFiles(second, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(second, path)).Order().ToList();
        Assert.Equal(20, first.Count);
        Assert.Equal(first, again);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
