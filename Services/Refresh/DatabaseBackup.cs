using System.Globalization;
using Booklore.Tasks.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Services.Refresh;

/// <summary>Writes consistent snapshots of the live database into the backups folder.</summary>
public sealed partial class DatabaseBackup(
    IDbContextFactory<BookloreDbContext> contextFactory,
    IOptions<BookloreOptions> options,
    TimeProvider time,
    ILogger<DatabaseBackup> logger)
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
        PruneOldSnapshots(folder, path);
        return path;
    }

    /// <summary>Deletes the oldest snapshots beyond <see cref="BookloreOptions.BackupsToKeep"/>, never the one just written.</summary>
    private void PruneOldSnapshots(string folder, string newest)
    {
        var old = new DirectoryInfo(folder).EnumerateFiles("booklore-*.db")
            .Where(file => file.FullName != newest)
            .OrderByDescending(file => file.Name, StringComparer.Ordinal)
            .Skip(options.Value.BackupsToKeep - 1);
        foreach (var file in old)
        {
            try
            {
                file.Delete();
                LogSnapshotDeleted(file.FullName);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                LogSnapshotNotDeleted(exception, file.FullName);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the old database snapshot {SnapshotPath}")]
    private partial void LogSnapshotDeleted(string snapshotPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The old database snapshot {SnapshotPath} could not be deleted")]
    private partial void LogSnapshotNotDeleted(Exception exception, string snapshotPath);
}
