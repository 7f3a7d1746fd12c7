using System.Net.Http.Json;
using System.Text.Json;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Booklore.Tasks.Tests.EndToEnd;

/// <summary>The Task Management page in Debian's Chromium against the real app on real files.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class TaskManagementPageTests(BrowserFixture browser) : IDisposable
{
    /// <summary>
    /// Books in a library whose forced refresh must outlast a click and a page reload. 3,000 books
    /// took about 0.7 s, and on a busy machine a run sometimes ended before the cancel reached it.
    /// </summary>
    private const int LongRunBooks = 12_000;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _root = Directory.CreateTempSubdirectory("booklore-e2e-").FullName;

    [Fact]
    public async Task CacheCards_ReadThenClear_SizesGrowAndReturnToZero()
    {
        CopyDemoLibrary();
        await using var app = await StartAppAsync();
        using var api = app.CreateClient();
        var comicId = await FindBookIdAsync(api, "cbz");
        var pdfId = await FindBookIdAsync(api, "pdf");
        var page = await OpenTaskManagementAsync(app);
        var comicCard = Card(page, "clear-cbx-cache");
        var pdfCard = Card(page, "clear-pdf-cache");
        await Assertions.Expect(comicCard.GetByTestId("cache-size")).ToContainTextAsync("0 B in 0 files");

        await ReadFirstPageAsync(app, comicId);
        await ReadFirstPageAsync(app, pdfId);

        // The open page updates by itself: no reload between reading and these checks.
        await Assertions.Expect(comicCard.GetByTestId("cache-size")).Not.ToContainTextAsync("0 B in 0 files", new() { Timeout = 10_000 });
        await Assertions.Expect(pdfCard.GetByTestId("cache-size")).Not.ToContainTextAsync("0 B in 0 files", new() { Timeout = 10_000 });
        await comicCard.GetByTestId("start-task").ClickAsync();
        await Assertions.Expect(comicCard.Locator(HeaderStatus)).ToContainTextAsync("Success", new() { Timeout = 20_000 });
        await Assertions.Expect(comicCard.GetByTestId("cache-size")).ToContainTextAsync("0 B in 0 files");
        await Assertions.Expect(comicCard.GetByTestId("run-summary")).ToContainTextAsync("Deleted");
        await pdfCard.GetByTestId("start-task").ClickAsync();
        await Assertions.Expect(pdfCard.Locator(HeaderStatus)).ToContainTextAsync("Success", new() { Timeout = 20_000 });
        await Assertions.Expect(pdfCard.GetByTestId("cache-size")).ToContainTextAsync("0 B in 0 files");
    }

    [Fact]
    public async Task RefreshCard_ReplaceAllConfirmed_OverwritesUnlockedTitleKeepsLocked()
    {
        CopyDemoLibrary();
        await using var app = await StartAppAsync();
        using var api = app.CreateClient();
        var unlockedId = await FindBookIdAsync(api, "cbz");
        var lockedId = await FindBookIdAsync(api, "pdf");
        var fileTitle = await GetTitleAsync(api, unlockedId);
        await PatchAsync(api, unlockedId, new { title = "Edited, not locked", locks = new { title = false } });
        await PatchAsync(api, lockedId, new { title = "Edited and locked" });
        var page = await OpenTaskManagementAsync(app);
        var card = Card(page, "refresh-metadata");

        await card.GetByTestId("mode-all").ClickAsync();
        await card.GetByTestId("start-refresh").ClickAsync();
        await page.GetByTestId("confirm-replace-all").ClickAsync();

        await Assertions.Expect(card.Locator(HeaderStatus)).ToContainTextAsync("Success", new() { Timeout = 30_000 });
        await Assertions.Expect(card.GetByTestId("run-summary")).ToContainTextAsync("Changed");
        Assert.Equal(fileTitle, await GetTitleAsync(api, unlockedId));
        Assert.Equal("Edited and locked", await GetTitleAsync(api, lockedId));
    }

    [Fact]
    public async Task RefreshCard_CancelLargeRefresh_ShowsCancelledWithCount()
    {
        LibraryGenerator.Generate(Path.Combine(_root, "library"), LongRunBooks, corruptEvery: 0);
        await using var app = await StartAppAsync();
        var page = await OpenTaskManagementAsync(app);
        var card = Card(page, "refresh-metadata");

        await card.GetByTestId("force").ClickAsync();
        await card.GetByTestId("start-refresh").ClickAsync();
        await card.GetByTestId("cancel-run").ClickAsync(new() { Timeout = 20_000 });

        await Assertions.Expect(card.Locator(HeaderStatus)).ToContainTextAsync("Cancelled", new() { Timeout = 5_000 });
        await Assertions.Expect(card.GetByTestId("run-summary")).ToContainTextAsync("Cancelled after");
    }

    [Fact]
    public async Task TwoPages_RunStartedByApi_BothFollowIt()
    {
        LibraryGenerator.Generate(Path.Combine(_root, "library"), LongRunBooks, corruptEvery: 0);
        await using var app = await StartAppAsync();
        var first = await OpenTaskManagementAsync(app);
        var second = await OpenTaskManagementAsync(app);
        using var api = app.CreateClient();

        // Neither page started the run, so each learns of it only from the engine's events.
        using var started = await api.PostAsJsonAsync("/api/v1/tasks/refresh-metadata/runs", new { force = true });
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        foreach (var page in new[] { first, second })
        {
            var card = Card(page, "refresh-metadata");
            await Assertions.Expect(card.Locator(HeaderStatus)).ToContainTextAsync("In Progress", new() { Timeout = 10_000 });
            await Assertions.Expect(card.GetByTestId("run-percent")).ToContainTextAsync("%", new() { Timeout = 10_000 });
        }

        // A page that reconnects mid-run shows the run as it is now.
        await second.ReloadAsync();
        await second.WaitForFunctionAsync("() => window.Blazor !== undefined && document.querySelector('[data-task]') !== null");
        await Assertions.Expect(Card(second, "refresh-metadata").Locator(HeaderStatus)).ToContainTextAsync("In Progress");

        using var cancelled = await api.PostAsync(new Uri($"/api/v1/runs/{runId}/cancel", UriKind.Relative), null);
        foreach (var page in new[] { first, second })
        {
            var card = Card(page, "refresh-metadata");
            await Assertions.Expect(card.Locator(HeaderStatus)).ToContainTextAsync("Cancelled", new() { Timeout = 5_000 });
            await Assertions.Expect(card.GetByTestId("run-summary")).ToContainTextAsync("Cancelled after");
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<AppProcess> StartAppAsync()
    {
        var app = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["Booklore__DataPath"] = Path.Combine(_root, "data"),
            ["Booklore__Libraries__0__Path"] = Path.Combine(_root, "library"),
        });
        using var api = app.CreateClient();
        await WaitForFirstScanAsync(api);
        return app;
    }

    private async Task<IPage> OpenTaskManagementAsync(AppProcess app)
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = app.Address.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Wait.TotalMilliseconds);
        await page.GotoAsync("/settings/tasks");

        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return page;
    }

    private async Task ReadFirstPageAsync(AppProcess app, int bookId)
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = app.Address.ToString() });
        var reader = await context.NewPageAsync();
        await reader.GotoAsync($"/books/{bookId}/read");
        var image = reader.Locator("img[src*='/pages/1']");
        await image.WaitForAsync(new() { Timeout = (float)Wait.TotalMilliseconds });
        await reader.WaitForFunctionAsync(
            "() => { const image = document.querySelector(\"img[src*='/pages/1']\"); return image && image.complete && image.naturalWidth > 0; }",
            null,
            new() { Timeout = (float)Wait.TotalMilliseconds });
        await context.CloseAsync();
    }

    // The card header's badge; the history table repeats badges for older runs.
    private const string HeaderStatus = ".mud-card-header [data-testid='run-status']";

    private static ILocator Card(IPage page, string taskKey) => page.Locator($"[data-task='{taskKey}']");

    private void CopyDemoLibrary()
    {
        var source = Path.Combine(AppProcess.RepositoryRoot, "samples", "library");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_root, "library", Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task<int> FindBookIdAsync(HttpClient api, string format)
    {
        using var books = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/books?format={format}"));
        return books.RootElement.GetProperty("items")[0].GetProperty("id").GetInt32();
    }

    private static async Task<string?> GetTitleAsync(HttpClient api, int bookId)
    {
        using var book = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/books/{bookId}"));
        return book.RootElement.GetProperty("metadata").GetProperty("title").GetString();
    }

    private static async Task PatchAsync(HttpClient api, int bookId, object edit)
    {
        using var response = await api.PatchAsJsonAsync($"/api/v1/books/{bookId}", edit);
        response.EnsureSuccessStatusCode();
    }

    private static async Task WaitForFirstScanAsync(HttpClient api)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            using var runs = JsonDocument.Parse(await api.GetStringAsync("/api/v1/runs?task=scan-library"));
            if (runs.RootElement.EnumerateArray().Any(run => run.GetProperty("finishedAt").ValueKind == JsonValueKind.String))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The first scan did not finish within 30 seconds.");
    }
}
