using Booklore.Tasks.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>A real SQLite database file in a fresh temporary folder, migrated like the app's, deleted on dispose.</summary>
public sealed class TestDatabase : IDbContextFactory<BookloreDbContext>, IDisposable
{
    private readonly DbContextOptions<BookloreDbContext> _options;

    private TestDatabase(string folder)
    {
        Folder = folder;
        Path = System.IO.Path.Combine(folder, "booklore.db");
        _options = new DbContextOptionsBuilder<BookloreDbContext>()
            .UseSqlite($"Data Source={Path};Pooling=False")
            .Options;
    }

    public string Folder { get; }
    public string Path { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var folder = Directory.CreateTempSubdirectory("booklore-test-").FullName;
        var database = new TestDatabase(folder);
        await using var context = database.CreateDbContext();
        await context.Database.MigrateAsync();
        await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        return database;
    }

    public BookloreDbContext CreateDbContext() => new(_options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on another thread; the temporary folder is left for the OS to clean.
        }
    }
}
