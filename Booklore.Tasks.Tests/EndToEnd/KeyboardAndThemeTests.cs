using System.Text.Json;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Booklore.Tasks.Tests.EndToEnd;

/// <summary>Task Management driven with the keyboard alone, and in a browser that prefers dark mode.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class KeyboardAndThemeTests(BrowserFixture browser) : IDisposable
{
    private const string HeaderStatus = ".mud-card-header [data-testid='run-status']";
    private const int MaxTabPresses = 40;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _root = Directory.CreateTempSubdirectory("booklore-keys-").FullName;

    [Fact]
    public async Task ClearCache_TabAndEnter_ShowsSuccess()
    {
        await using var app = await StartAppAsync();
        var page = await OpenTaskManagementAsync(app, ColorScheme.Light);
        var card = page.Locator("[data-task='clear-cbx-cache']");

        var focused = await TabUntilAsync(page, "clear-cbx-cache", "start-task");
        Assert.True(focused, $"Tab did not reach Clear Cache of clear-cbx-cache within {MaxTabPresses} presses.");
        await Assertions.Expect(card.GetByTestId("start-task")).ToBeFocusedAsync();
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        Assert.Equal("solid", outline);

        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(card.Locator(HeaderStatus)).ToContainTextAsync("Success", new() { Timeout = 10_000 });
        await Assertions.Expect(card.GetByTestId("run-announcement")).ToContainTextAsync("Clear CBX Cache: Success.");
    }

    [Fact]
    public async Task DarkPreference_FirstLoad_AppliesDarkTheme()
    {
        await using var app = await StartAppAsync();
        var page = await OpenTaskManagementAsync(app, ColorScheme.Dark);

        // MudBlazor writes the palette into CSS variables, and the page background follows them.
        await page.WaitForFunctionAsync("() => getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)'");
        var scheme = await page.EvaluateAsync<string>(
            "() => getComputedStyle(document.documentElement).getPropertyValue('--mud-native-html-color-scheme').trim()");
        Assert.Equal("dark", scheme);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>
    /// Presses Tab until the element with the test id inside the task's card has focus. Returns false
    /// when it has no focus after <see cref="MaxTabPresses"/> presses.
    /// </summary>
    private static async Task<bool> TabUntilAsync(IPage page, string taskKey, string testId)
    {
        for (var presses = 0; presses < MaxTabPresses; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            var reached = await page.EvaluateAsync<bool>(
                "([task, id]) => document.activeElement?.getAttribute('data-testid') === id"
                + " && document.activeElement.closest('[data-task]')?.getAttribute('data-task') === task",
                new[] { taskKey, testId });
            if (reached)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<AppProcess> StartAppAsync()
    {
        // An empty library: the tests need the page, not books, and the first scan ends at once.
        Directory.CreateDirectory(Path.Combine(_root, "library"));
        var app = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["Booklore__DataPath"] = Path.Combine(_root, "data"),
            ["Booklore__Libraries__0__Path"] = Path.Combine(_root, "library"),
        });
        using var api = app.CreateClient();
        await WaitForFirstScanAsync(api);
        return app;
    }

    private async Task<IPage> OpenTaskManagementAsync(AppProcess app, ColorScheme colorScheme)
    {
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = app.Address.ToString(),
            ColorScheme = colorScheme,
            ViewportSize = new() { Width = 390, Height = 844 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Wait.TotalMilliseconds);
        await page.GotoAsync("/settings/tasks");

        // Keys work only once the interactive circuit has rendered the page, which marks itself then.
        await page.WaitForSelectorAsync("[data-interactive='true']");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return page;
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
