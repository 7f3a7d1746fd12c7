using Booklore.Tasks.Components.Pages.TaskManagement;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Bunit;
using MudBlazor;

namespace Booklore.Tasks.Tests.Components;

public sealed class TaskCardTests : BunitTestBase
{
    [Fact]
    public async Task TaskCard_RunningTask_ShowsProgressMessageAndCancel()
    {
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Scripted));

        await card.Find("[data-testid=start-task]").ClickAsync(new());
        var run = await WaitForScriptedStartAsync();
        run.SetTotal(10);
        run.SetMessage("Reading book files.");
        run.Advance(4, "/books/saga-04.cbz");
        PublishProgress();

        card.WaitForAssertion(() => Assert.Equal("40 %", card.Find("[data-testid=run-percent]").TextContent.Trim()), WaitTimeout);
        Assert.Equal("In Progress", StatusText(card));
        Assert.Equal("Reading book files.", card.Find("[data-testid=run-message]").TextContent.Trim());
        Assert.Contains("/books/saga-04.cbz", card.Find("[data-testid=run-current-item]").TextContent, StringComparison.Ordinal);
        Assert.Contains("4 of 10 items", card.Find("[data-testid=run-counts]").TextContent, StringComparison.Ordinal);
        Assert.Equal("40", card.Find(".mud-progress-linear").GetAttribute("aria-valuenow"));
        Assert.False(card.Find("[data-testid=cancel-run]").HasAttribute("disabled"));
        Scripted.Finish.SetResult();
    }

    [Fact]
    public async Task TaskCard_UnknownTotal_ShowsIndeterminateBar()
    {
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Scripted));

        await card.Find("[data-testid=start-task]").ClickAsync(new());
        var run = await WaitForScriptedStartAsync();
        run.SetMessage("Counting files.");
        PublishProgress();

        card.WaitForAssertion(() => Assert.Equal("Counting files.", card.Find("[data-testid=run-message]").TextContent.Trim()), WaitTimeout);
        Assert.Contains("mud-progress-indeterminate", card.Find(".mud-progress-linear").ClassName, StringComparison.Ordinal);
        Assert.Equal("", card.Find("[data-testid=run-percent]").TextContent.Trim());
        Assert.Contains("the total is not known yet", card.Find("[data-testid=run-counts]").TextContent, StringComparison.Ordinal);
        Scripted.Finish.SetResult();
    }

    [Fact]
    public async Task TaskCard_FinishedRun_ShowsSuccessSummaryAndLink()
    {
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Scripted));

        await card.Find("[data-testid=start-task]").ClickAsync(new());
        var run = await WaitForScriptedStartAsync();
        run.SetSummary("Checked 3 books.");
        Time.Advance(TimeSpan.FromSeconds(42));
        Scripted.Finish.SetResult();

        card.WaitForAssertion(() => Assert.Equal("Success", StatusText(card)), WaitTimeout);
        Assert.Equal("Checked 3 books.", card.Find("[data-testid=run-summary]").TextContent.Trim());
        Assert.Equal($"runs/{run.RunId}", card.Find("[data-testid=run-link]").GetAttribute("href"));
        Assert.Contains("42 s", card.Find("[data-testid=run-outcome]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Completed", card.Find(".run-facts dt").TextContent.Trim());
        Assert.Empty(card.FindAll("[data-testid=run-progress]"));
    }

    [Fact]
    public async Task TaskCard_CancelClicked_ShowsCancelledBadge()
    {
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Scripted));
        await card.Find("[data-testid=start-task]").ClickAsync(new());
        await WaitForScriptedStartAsync();
        card.WaitForElement("[data-testid=cancel-run]", WaitTimeout);

        await card.Find("[data-testid=cancel-run]").ClickAsync(new());

        card.WaitForAssertion(() => Assert.Equal("Cancelled", StatusText(card)), WaitTimeout);
        Assert.Contains("Cancelled after", card.Find("[data-testid=run-summary]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Cancelled", card.Find(".run-facts dt").TextContent.Trim());
        Assert.Null(Registry.GetActiveRun(ScriptedTask.TaskKey));
    }

    [Fact]
    public async Task TaskCard_NoProgressForMinutes_ShowsStaleWithReason()
    {
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Scripted));
        await card.Find("[data-testid=start-task]").ClickAsync(new());
        var run = await WaitForScriptedStartAsync();
        run.SetMessage("Reading /books/huge.cbz.");
        PublishProgress();
        card.WaitForAssertion(() => Assert.Equal("In Progress", StatusText(card)), WaitTimeout);

        Time.Advance(TimeSpan.FromMinutes(2) + ProgressInterval);

        card.WaitForAssertion(() => Assert.Equal("Stale", StatusText(card)), WaitTimeout);
        var reason = Registry.GetActiveRun(ScriptedTask.TaskKey)?.Stale?.Reason;
        Assert.NotNull(reason);
        Assert.Contains(reason, card.Find("[data-testid=stale-reason]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Reading /books/huge.cbz.", card.Find("[data-testid=run-message]").TextContent.Trim());
        Scripted.Finish.SetResult();
    }

    [Fact]
    public void TaskCard_CacheTask_ShowsLiveSize()
    {
        Cache.SetSize(new CacheSize(1_572_864, 12));
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Cache));

        var before = card.Find("[data-testid=cache-size]").TextContent;
        Cache.SetSize(new CacheSize(2048, 1));

        Assert.Contains("1.5 MB in 12 files", Normalize(before), StringComparison.Ordinal);
        card.WaitForAssertion(() => Assert.Contains("2 KB in 1 file", Normalize(card.Find("[data-testid=cache-size]").TextContent), StringComparison.Ordinal), WaitTimeout);
        Assert.Equal("Clear Cache", card.Find("[data-testid=start-task]").TextContent.Trim());
    }

    [Fact]
    public async Task TaskCard_ClearCache_ReportsFreedSpace()
    {
        Cache.SetSize(new CacheSize(3 * 1024 * 1024, 30));
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Cache));

        await card.Find("[data-testid=start-task]").ClickAsync(new());

        card.WaitForAssertion(() => Assert.Equal("Success", StatusText(card)), WaitTimeout);
        Assert.Equal("Deleted 30 files and freed 3 MB.", card.Find("[data-testid=run-summary]").TextContent.Trim());
        Assert.Contains("0 B in 0 files", Normalize(card.Find("[data-testid=cache-size]").TextContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TaskCard_StartWhileRunning_ShowsAlreadyRunningSnackbar()
    {
        var existing = await Registry.StartAsync(ScriptedTask.TaskKey, null, RunTriggers.Api, CancellationToken.None);
        await WaitForScriptedStartAsync();
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Scripted));
        var snackbar = Services.GetService<ISnackbar>();

        await card.Find("[data-testid=start-task]").ClickAsync(new());

        Assert.NotNull(snackbar);
        var message = Assert.Single(snackbar.ShownSnackbars).Message;
        Assert.Contains("already running", message, StringComparison.Ordinal);
        Assert.Contains($"run {existing.Run.Id}", message, StringComparison.Ordinal);
        Assert.Single(card.FindAll("[data-testid=run-progress]"));
        Assert.Single(await Registry.GetHistoryAsync(ScriptedTask.TaskKey, 10, CancellationToken.None));
        Scripted.Finish.SetResult();
    }

    [Fact]
    public async Task TaskCard_RefreshGenerationChanged_RereadsStoredRuns()
    {
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Scripted));
        Assert.Equal("Never run", StatusText(card));

        // A run stored without an event reaching the card, as when events are missed while the connection is down.
        await using (var context = Database.CreateDbContext())
        {
            var finished = Time.GetUtcNow();
            context.TaskRuns.Add(new TaskRun
            {
                TaskKey = ScriptedTask.TaskKey,
                Trigger = RunTriggers.Schedule,
                State = RunState.Warning,
                QueuedAt = finished.AddMinutes(-5),
                StartedAt = finished.AddMinutes(-5),
                UpdatedAt = finished,
                FinishedAt = finished,
                Summary = "Finished while away.",
            });
            await context.SaveChangesAsync();
        }

        card.Render(parameters => parameters.Add(component => component.RefreshGeneration, 1));

        card.WaitForAssertion(() => Assert.Equal("Warning", StatusText(card)), WaitTimeout);
        Assert.Equal("Finished while away.", card.Find("[data-testid=run-summary]").TextContent.Trim());
        Assert.Contains("5 min 0 s", card.Find("[data-testid=run-outcome]").TextContent, StringComparison.Ordinal);
    }

    private static string StatusText(IRenderedComponent<TaskCard> card) =>
        Normalize(card.Find("[data-testid=run-status]").TextContent);

    private static string Normalize(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
