using System.Net.Http.Json;
using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Tests.Services.Tasks;

/// <summary>Kills the real app mid-refresh and checks what the next start finds.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const string OldValue = "Before the refresh";
    private const string OldAuthors = "[{\"name\":\"Before the refresh\",\"role\":\"author\"}]";
    private readonly string _root = Directory.CreateTempSubdirectory("booklore-crash-").FullName;

    [Fact]
    public async Task Restart_AfterKillDuringRefresh_RunInterruptedAndBooksWhole()
    {
        var library = Path.Combine(_root, "library");
        var data = Path.Combine(_root, "data");
        LibraryGenerator.Generate(library, 4000, corruptEvery: 0);
        var settings = new Dictionary<string, string>
        {
            ["Booklore__DataPath"] = data,
            ["Booklore__Libraries__0__Path"] = library,
            ["Booklore__Tasks__HeartbeatInterval"] = "00:00:00.200",
        };

        await using (var first = await AppProcess.StartAsync(settings))
        {
            using var client = first.CreateClient();
            await WaitForLastRunAsync(client, "scan-library");
            await first.StopAsync();
        }

        await SetOldValuesAsync(data);
        long runId;
        await using (var second = await AppProcess.StartAsync(settings))
        {
            using var client = second.CreateClient();
            using var started = await client.PostAsJsonAsync("/api/v1/tasks/refresh-metadata/runs", new { replaceMode = "all" });
            runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            await WaitForProgressAsync(client, runId);
            await second.KillAsync();
        }

        await using (var third = await AppProcess.StartAsync(settings))
        {
            using var client = third.CreateClient();
            using var run = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/runs/{runId}"));
            Assert.Equal("interrupted", run.RootElement.GetProperty("state").GetString());
            Assert.Contains("Last heartbeat at", run.RootElement.GetProperty("summary").GetString(), StringComparison.Ordinal);
        }

        await using var context = OpenDatabase(data);
        var books = await context.Books.AsNoTracking().ToListAsync();
        var updated = books.Count(book => book.Title != OldValue);
        // Every generated book carries a title and an author, so a written book has both new.
        Assert.All(books, book => Assert.Equal(book.Title == OldValue, book.AuthorsJson == OldAuthors));
        Assert.InRange(updated, 1, books.Count - 1);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
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
