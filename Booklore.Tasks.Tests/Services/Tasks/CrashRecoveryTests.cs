using System.Net.Http.Json;
using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Tests.Services.Tasks;

/// <summary>Kills or stops the real app mid-task and checks what the next start finds.</summary>
[Collection(CrashRecoveryGroup.Name)]
public sealed class CrashRecoveryTests : IDisposable
{
    private const string OldValue = "Before the refresh";
    private const string OldAuthors = "[{\"name\":\"Before the refresh\",\"role\":\"author\"}]";
    private static readonly DateTimeOffset OldModifiedAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("booklore-crash-").FullName;

    [Fact]
    public async Task Restart_AfterKillDuringRefresh_RunInterruptedAndBooksWhole()
    {
        var (data, settings) = CreateLibrary();
        await ScanAtStartAsync(settings);

        await SetOldValuesAsync(data);
        var runId = await KillDuringRunAsync(settings, "refresh-metadata", new { replaceMode = "all" });
        await AssertInterruptedAfterRestartAsync(settings, runId);

        await using var context = OpenDatabase(data);
        var books = await context.Books.AsNoTracking().ToListAsync();
        var updated = books.Count(book => book.Title != OldValue);
        // Every generated book carries a title and an author, so a written book has both new.
        Assert.All(books, book => Assert.Equal(book.Title == OldValue, book.AuthorsJson == OldAuthors));
        Assert.InRange(updated, 1, books.Count - 1);
    }

    [Fact]
    public async Task Restart_AfterKillDuringScan_RunInterruptedAndBooksWhole()
    {
        var (data, settings) = CreateLibrary();
        await ScanAtStartAsync(settings);

        // An old modification time makes the scan reread every file; it then writes the time, the
        // fingerprint and the missing title of each book anew, in one row update.
        await using (var context = OpenDatabase(data))
        {
            await context.Books.ExecuteUpdateAsync(setters => setters
                .SetProperty(book => book.Title, (string?)null)
                .SetProperty(book => book.Fingerprint, OldValue)
                .SetProperty(book => book.FileModifiedAt, OldModifiedAt));
        }

        var runId = await KillDuringRunAsync(settings, "scan-library", new { });
        await AssertInterruptedAfterRestartAsync(settings, runId);

        await using var check = OpenDatabase(data);
        var books = await check.Books.AsNoTracking().ToListAsync();
        var rewritten = books.Count(book => book.FileModifiedAt != OldModifiedAt);
        Assert.All(books, book =>
        {
            var old = book.FileModifiedAt == OldModifiedAt;
            Assert.Equal(old, book.Fingerprint == OldValue);
            Assert.Equal(old, book.Title is null);
        });
        Assert.InRange(rewritten, 1, books.Count - 1);
    }

    [Fact]
    public async Task Sigterm_DuringScanWithEventStreamOpen_ExitsPromptlyAndRecordsInterrupted()
    {
        var (data, settings) = CreateLibrary();
        long runId;
        var stopwatch = new System.Diagnostics.Stopwatch();
        await using (var app = await AppProcess.StartAsync(settings))
        {
            using var client = app.CreateClient();
            using var runs = JsonDocument.Parse(await client.GetStringAsync("/api/v1/runs?task=scan-library"));
            runId = runs.RootElement.EnumerateArray().Single().GetProperty("id").GetInt64();

            // An open event stream (or admin page) must not hold the shutdown while the scan goes on.
            using var events = new HttpClient { BaseAddress = app.Address, Timeout = Timeout.InfiniteTimeSpan };
            using var stream = await events.GetAsync(new Uri("/api/v1/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            await WaitForProgressAsync(client, runId);
            stopwatch.Start();
            await app.StopAsync();
            stopwatch.Stop();
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"The app took {stopwatch.Elapsed.TotalSeconds:0.0} s to stop.");
        await using var context = OpenDatabase(data);
        var stored = await context.TaskRuns.AsNoTracking().SingleAsync(run => run.Id == runId);
        Assert.Equal(RunState.Interrupted, stored.State);
        Assert.InRange(stored.Done, 1, stored.Total - 1);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A generated library of 4000 books and the settings of an app that scans it at first start.</summary>
    private (string Data, Dictionary<string, string> Settings) CreateLibrary()
    {
        var library = Path.Combine(_root, "library");
        var data = Path.Combine(_root, "data");
        LibraryGenerator.Generate(library, 4000, corruptEvery: 0);
        return (data, new Dictionary<string, string>
        {
            ["Booklore__DataPath"] = data,
            ["Booklore__Libraries__0__Path"] = library,
            ["Booklore__Tasks__HeartbeatInterval"] = "00:00:00.200",
        });
    }

    /// <summary>Starts the app, waits for its start-up scan and stops the app.</summary>
    private static async Task ScanAtStartAsync(IReadOnlyDictionary<string, string> settings)
    {
        await using var app = await AppProcess.StartAsync(settings);
        using var client = app.CreateClient();
        await WaitForLastRunAsync(client, "scan-library");
        await app.StopAsync();
    }

    /// <summary>Starts the app, starts a run of the task, kills the app with SIGKILL once the run made progress, and returns the run id.</summary>
    private static async Task<long> KillDuringRunAsync(IReadOnlyDictionary<string, string> settings, string taskKey, object options)
    {
        await using var app = await AppProcess.StartAsync(settings);
        using var client = app.CreateClient();
        using var started = await client.PostAsJsonAsync($"/api/v1/tasks/{taskKey}/runs", options);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await WaitForProgressAsync(client, runId);
        await app.KillAsync();
        return runId;
    }

    private static async Task AssertInterruptedAfterRestartAsync(IReadOnlyDictionary<string, string> settings, long runId)
    {
        await using var app = await AppProcess.StartAsync(settings);
        using var client = app.CreateClient();
        using var run = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/runs/{runId}"));
        Assert.Equal("interrupted", run.RootElement.GetProperty("state").GetString());
        Assert.Contains("Last heartbeat at", run.RootElement.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    private static async Task SetOldValuesAsync(string data)
    {
        await using var context = OpenDatabase(data);
        await context.Books.ExecuteUpdateAsync(setters => setters
            .SetProperty(book => book.Title, OldValue)
            .SetProperty(book => book.AuthorsJson, OldAuthors));
    }

    private static BookloreDbContext OpenDatabase(string data) => new(
        new DbContextOptionsBuilder<BookloreDbContext>()
            .UseSqlite($"Data Source={Path.Combine(data, "booklore.db")};Pooling=False")
            .Options);

    private static async Task WaitForLastRunAsync(HttpClient client, string taskKey)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            using var tasks = JsonDocument.Parse(await client.GetStringAsync("/api/v1/tasks"));
            var task = tasks.RootElement.EnumerateArray().Single(item => item.GetProperty("key").GetString() == taskKey);
            if (task.GetProperty("lastRun").ValueKind == JsonValueKind.Object)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{taskKey} did not finish within 120 seconds.");
    }

    /// <summary>Waits until the run has written some books but not all, then returns.</summary>
    private static async Task WaitForProgressAsync(HttpClient client, long runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var run = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/runs/{runId}"));
            var progress = run.RootElement.GetProperty("progress");
            if (progress.GetProperty("done").GetInt64() > 0)
            {
                Assert.True(
                    progress.GetProperty("done").GetInt64() < progress.GetProperty("total").GetInt64(),
                    "The refresh finished before it could be killed; generate a larger library.");
                return;
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"Run {runId} made no progress within 60 seconds.");
    }
}

/// <summary>
/// Runs the crash tests alone, after the others. Each starts the app up to three times on 4000
/// books, and run in parallel on two cores that load made clicks in the browser tests time out.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashRecoveryGroup
{
    public const string Name = "crash recovery";
}
