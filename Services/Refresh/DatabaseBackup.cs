using System.Globalization;
using Booklore.Tasks.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Services.Refresh;

/// <summary>Writes consistent snapshots of the live database into the backups folder.</summary>
public sealed class DatabaseBackup(
    IDbContextFactory<BookloreDbContext> contextFactory,
    IOptions<BookloreOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// Snapshots the database with SQLite's VACUUM INTO, which reads one consistent state even while
    /// other connections write, and returns the snapshot's path.
    /// </summary>
    public async Task<string> SnapshotAsync(string label, CancellationToken cancellationToken)
    {
        var folder = options.Value.BackupsPath;
        Directory.CreateDirectory(folder);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(folder, $"booklore-{stamp}-{label}.db");

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        await context.Database.ExecuteSqlRawAsync("VACUUM INTO {0}", [path], cancellationToken);
        return path;
    }
}
