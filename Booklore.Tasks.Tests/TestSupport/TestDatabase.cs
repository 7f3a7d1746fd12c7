using Booklore.Tasks.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>A migrated SQLite database file in its own temporary folder, deleted on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string folder)
    {
        Folder = folder;
        ConnectionString = $"Data Source={Path.Combine(folder, "booklore.db")};Pooling=False";
    }

    public string Folder { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "booklore-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = new TestDatabase(folder);
        await using var context = database.CreateContext();
        await context.Database.MigrateAsync();
        return database;
    }

    public void Configure(DbContextOptionsBuilder options) => options.UseSqlite(ConnectionString);

    public BookloreDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<BookloreDbContext>();
        Configure(options);
        return new BookloreDbContext(options.Options);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere only leaves a folder in the temp directory behind.
        }

        return ValueTask.CompletedTask;
    }
}
