using Booklore.Tasks.Services;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Tests.Services.Library;

/// <summary>Libraries created at start-up from the Booklore:Libraries settings, on a real database.</summary>
public sealed class ConfiguredLibrariesTests : IDisposable
{
    private readonly TestDatabase _database = TestDatabase.CreateAsync().GetAwaiter().GetResult();

    [Fact]
    public async Task ConfiguredLibrary_NewFolder_IsCreated()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_database.Folder, "books")).FullName;
        var service = CreateService(new LibraryOption { Name = "Books", Path = folder });

        var created = await service.EnsureConfiguredLibrariesAsync(CancellationToken.None);

        Assert.Single(created);
        var library = Assert.Single(await service.ListAsync(CancellationToken.None));
        Assert.Equal("Books", library.Name);
    }

    [Fact]
    public async Task ConfiguredLibrary_MissingPath_NamesTheSetting()
    {
        var service = CreateService(new LibraryOption { Name = "Books" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => service.EnsureConfiguredLibrariesAsync(CancellationToken.None));

        Assert.Contains("Booklore:Libraries:0:Path", error.Message, StringComparison.Ordinal);
        Assert.Contains("Booklore__Libraries__0__Path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredLibrary_NameTakenByOtherFolder_NamesTheSetting()
    {
        var first = Directory.CreateDirectory(Path.Combine(_database.Folder, "first")).FullName;
        var second = Directory.CreateDirectory(Path.Combine(_database.Folder, "second")).FullName;
        await CreateService(new LibraryOption { Name = "Books", Path = first }).EnsureConfiguredLibrariesAsync(CancellationToken.None);
        var moved = CreateService(new LibraryOption { Name = "Books", Path = second });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => moved.EnsureConfiguredLibrariesAsync(CancellationToken.None));

        Assert.Contains("Booklore:Libraries:0", error.Message, StringComparison.Ordinal);
        Assert.Contains(second, error.Message, StringComparison.Ordinal);
        Assert.Contains("'Books' already exists", error.Message, StringComparison.Ordinal);
        Assert.Contains("Booklore__Libraries__0__Name", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _database.Dispose();

    private LibraryService CreateService(params LibraryOption[] libraries)
    {
        var options = new BookloreOptions { DataPath = Path.Combine(_database.Folder, "data"), Libraries = [.. libraries] };
        return new LibraryService(_database, Options.Create(options), NullLogger<LibraryService>.Instance);
    }
}
