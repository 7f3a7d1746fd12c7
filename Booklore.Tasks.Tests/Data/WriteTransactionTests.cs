using Booklore.Tasks.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Tests.Data;

/// <summary>
/// The book edit, the refresh write and the undo read a book and write it inside one EF Core
/// transaction, and rely on Microsoft.Data.Sqlite beginning it with BEGIN IMMEDIATE, which takes
/// the write lock at once so no other connection writes between the read and the write.
/// </summary>
public sealed class WriteTransactionTests
{
    [Fact]
    public async Task BeginTransactionAsync_BeforeAnyWrite_HoldsWriteLock()
    {
        using var database = await TestDatabase.CreateAsync();
        await using var context = database.CreateDbContext();

        await using var transaction = await context.Database.BeginTransactionAsync();

        await using var other = new SqliteConnection($"Data Source={database.Path};Pooling=False;Default Timeout=1");
        await other.OpenAsync();
        await using var command = other.CreateCommand();
        command.CommandText = "INSERT INTO libraries (Name) VALUES ('Other');";
        var busy = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(5, busy.SqliteErrorCode);

        await transaction.DisposeAsync();
        await command.ExecuteNonQueryAsync();
    }
}
