using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>
/// The real refresh and scan tasks on the real engine, over a test database and a library
/// folder in the same temporary folder.
/// </summary>
public sealed class TaskTestBed : IAsyncDisposable
{
    private TaskTestBed(EngineHost engine, string libraryFolder, BookloreOptions options)
    {
        Engine = engine;
        LibraryFolder = libraryFolder;
        Options = options;
    }

    public EngineHost Engine { get; }
    public string LibraryFolder { get; }
    public BookloreOptions Options { get; }
    public TestDatabase Database => Engine.Database;
    public int LibraryId { get; private set; }

    /// <summary>Starts an engine with the refresh and scan tasks, reading files with <paramref name="reader"/> or the real reader.</summary>
    public static async Task<TaskTestBed> CreateAsync(IBookFileReader? reader = null)
    {
        var database = await TestDatabase.CreateAsync();
        var libraryFolder = Directory.CreateDirectory(Path.Combine(database.Folder, "library")).FullName;
        var options = new BookloreOptions { DataPath = Path.Combine(database.Folder, "data") };
        reader ??= new BookFileReader();
        var time = TimeProvider.System;
        var backup = new DatabaseBackup(database, Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<DatabaseBackup>.Instance);
        IMaintenanceTask[] tasks =
        [
            new RefreshMetadataTask(database, reader, backup, NullLogger<RefreshMetadataTask>.Instance),
            new ScanLibraryTask(database, reader, time, NullLogger<ScanLibraryTask>.Instance),
        ];
        var engine = await EngineHost.StartAsync(tasks, database: database);
        var bed = new TaskTestBed(engine, libraryFolder, options);
        var libraries = new LibraryService(database, Microsoft.Extensions.Options.Options.Create(options), NullLogger<LibraryService>.Instance);
        bed.LibraryId = (await libraries.CreateAsync(new NewLibrary("Test", [libraryFolder]), CancellationToken.None)).Id;
        return bed;
    }

    /// <summary>Copies a file into the library folder and returns its full path.</summary>
    public string AddFile(string source, string? name = null)
    {
        var target = Path.Combine(LibraryFolder, name ?? Path.GetFileName(source));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
        return target;
    }

    public async Task<RunSnapshot> RunAsync(string taskKey, object? options = null)
    {
        var json = options is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(options, RunJson.Options);
        var started = await Engine.Registry.StartAsync(taskKey, json, RunTriggers.User, CancellationToken.None);
        return await Engine.WaitForEndAsync(started.Run.Id, TimeSpan.FromSeconds(120));
    }

    public async Task<Book> GetBookAsync(string path)
    {
        await using var context = Database.CreateDbContext();
        return await context.Books.AsNoTracking().SingleAsync(book => book.Path == path);
    }

    public async Task UpdateBookAsync(string path, Action<Book> change)
    {
        await using var context = Database.CreateDbContext();
        var book = await context.Books.SingleAsync(stored => stored.Path == path);
        change(book);
        await context.SaveChangesAsync();
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
