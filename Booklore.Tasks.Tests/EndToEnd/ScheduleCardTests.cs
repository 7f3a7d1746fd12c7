using System.Text.Json;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Booklore.Tasks.Tests.EndToEnd;

/// <summary>Setting a schedule from a task card in Debian's Chromium against the real app.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class ScheduleCardTests(BrowserFixture browser) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _root = Directory.CreateTempSubdirectory("booklore-e2e-").FullName;

    [Fact]
    public async Task CacheCard_WeeklyPresetSaved_ShowsNextRunTime()
    {
        Directory.CreateDirectory(Path.Combine(_root, "library"));
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["Booklore__DataPath"] = Path.Combine(_root, "data"),
            ["Booklore__Libraries__0__Path"] = Path.Combine(_root, "library"),
            ["Booklore__Tasks__TimeZone"] = "UTC",
        });
        var page = await OpenTaskManagementAsync(app);
        var card = page.Locator("[data-task='clear-cbx-cache']");
        await Assertions.Expect(card.GetByTestId("schedule-summary")).ToContainTextAsync("Schedule: none");

        await card.GetByText("Set a schedule").ClickAsync();
        await card.GetByTestId("schedule-editor").Locator(".mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Weekly" }).ClickAsync();
        await card.GetByTestId("schedule-save").ClickAsync();

        await Assertions.Expect(card.GetByTestId("schedule-description")).ToHaveTextAsync("Every Sunday at 03:00");
        await Assertions.Expect(card.GetByTestId("schedule-next")).ToContainTextAsync("in ");
        await Assertions.Expect(card.GetByTestId("schedule-next")).ToContainTextAsync("03:00 UTC");
        using var api = app.CreateClient();
        using var tasks = JsonDocument.Parse(await api.GetStringAsync("/api/v1/tasks"));
        var schedule = tasks.RootElement.EnumerateArray()
            .Single(task => task.GetProperty("key").GetString() == "clear-cbx-cache")
            .GetProperty("schedule");
        Assert.Equal("0 3 * * 0", schedule.GetProperty("cron").GetString());
        Assert.True(schedule.GetProperty("enabled").GetBoolean());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<IPage> OpenTaskManagementAsync(AppProcess app)
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = app.Address.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Wait.TotalMilliseconds);
        await page.GotoAsync("/settings/tasks");

        // Buttons work only once the interactive circuit has rendered the page, which marks itself then.
        await page.WaitForSelectorAsync("[data-interactive='true']");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return page;
    }
}
