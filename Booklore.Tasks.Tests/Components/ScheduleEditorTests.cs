using Booklore.Tasks.Components.Pages.TaskManagement;
using Booklore.Tasks.Components.Shared;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Bunit;
using MudBlazor;

namespace Booklore.Tasks.Tests.Components;

public sealed class ScheduleEditorTests : BunitTestBase
{
    [Fact]
    public async Task ScheduleEditor_InvalidCron_ShowsMessageAndSavesNothing()
    {
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Scripted));

        await CronInput(card).InputAsync(new() { Value = "61 * * * *" });
        await card.Find("[data-testid=schedule-save]").ClickAsync(new());

        var editor = card.Find("[data-testid=schedule-editor]").TextContent;
        Assert.Contains("'61 * * * *' is not a valid 5-field cron expression", editor, StringComparison.Ordinal);
        Assert.Empty(await Schedules.GetAllAsync(CancellationToken.None));
        Assert.Contains("Schedule: none", card.Find("[data-testid=schedule-summary]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleEditor_WeeklyPreset_SavesAndShowsNextRun()
    {
        // The fake clock starts on Sunday 1 March 2026 at 12:00 UTC, so the weekly preset (Sunday 03:00) is next due on 8 March.
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Scripted));
        var preset = card.FindComponent<MudSelect<string>>();

        await card.InvokeAsync(() => preset.Instance.ValueChanged.InvokeAsync("weekly"));
        await card.Find("[data-testid=schedule-save]").ClickAsync(new());

        var stored = Assert.Single(await Schedules.GetAllAsync(CancellationToken.None)).Value;
        Assert.Equal("0 3 * * 0", stored.Cron);
        Assert.True(stored.Enabled);
        card.WaitForAssertion(
            () => Assert.Equal("Every Sunday at 03:00", card.Find("[data-testid=schedule-description]").TextContent.Trim()),
            WaitTimeout);
        var next = card.Find("[data-testid=schedule-next]");
        Assert.Contains("in 6 d", Normalize(next.TextContent), StringComparison.Ordinal);
        Assert.Contains("Sun 8 Mar 03:00 UTC", Normalize(next.TextContent), StringComparison.Ordinal);
        Assert.Contains("(UTC)", next.QuerySelector("span[title]")?.GetAttribute("title"), StringComparison.Ordinal);
        Assert.Equal("enabled", card.Find("[data-testid=schedule-enabled]").TextContent.Trim());
    }

    [Fact]
    public async Task ScheduleEditor_RefreshCard_StoresChosenOptions()
    {
        var dialogs = Render<MudDialogProvider>();
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Refresh));

        await card.Find("input[data-testid=mode-all]").ClickAsync(new());
        await card.Find("input[data-testid=force]").ChangeAsync(new() { Value = true });
        var save = card.Find("[data-testid=schedule-save]").ClickAsync(new());
        dialogs.WaitForElement("[data-testid=confirm-replace-all]", WaitTimeout);
        Assert.Contains("on every scheduled run", dialogs.Find(".mud-dialog").TextContent, StringComparison.Ordinal);
        await dialogs.Find("[data-testid=confirm-replace-all]").ClickAsync(new());
        await save;

        var stored = Assert.Single(await Schedules.GetAllAsync(CancellationToken.None)).Value;
        var options = Assert.IsType<RefreshOptions>(stored.Options);
        Assert.Equal(ReplaceMode.All, options.ReplaceMode);
        Assert.True(options.Force);
        Assert.False(options.DryRun);
        card.WaitForAssertion(
            () => Assert.Contains("Replace All Metadata", card.Find("[data-testid=schedule-options]").TextContent, StringComparison.Ordinal),
            WaitTimeout);
    }

    [Fact]
    public async Task ScheduleEditor_ReplaceAllNotConfirmed_SavesNothing()
    {
        var dialogs = Render<MudDialogProvider>();
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Refresh));

        await card.Find("input[data-testid=mode-all]").ClickAsync(new());
        var save = card.Find("[data-testid=schedule-save]").ClickAsync(new());
        dialogs.WaitForElement("[data-testid=confirm-replace-all]", WaitTimeout);
        await dialogs.FindAll(".mud-dialog button").First(button => button.TextContent.Trim() == "Cancel").ClickAsync(new());
        await save;

        Assert.Empty(await Schedules.GetAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ScheduleEditor_RemoveClicked_DeletesSchedule()
    {
        await Schedules.SetAsync(ScriptedTask.TaskKey, "hourly", enabled: false, null, timeZone: null, CancellationToken.None);
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Scripted));
        card.WaitForAssertion(() => Assert.Equal("disabled", card.Find("[data-testid=schedule-enabled]").TextContent.Trim()), WaitTimeout);

        await card.Find("[data-testid=schedule-remove]").ClickAsync(new());

        Assert.Empty(await Schedules.GetAllAsync(CancellationToken.None));
        card.WaitForAssertion(
            () => Assert.Contains("Schedule: none", card.Find("[data-testid=schedule-summary]").TextContent, StringComparison.Ordinal),
            WaitTimeout);
    }

    [Fact]
    public async Task TaskCard_SkippedScheduledStart_ListedInHistoryOnly()
    {
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Scripted));

        await Registry.RecordSkippedAsync(ScriptedTask.TaskKey, null, RunTriggers.Schedule, runningId: 41, CancellationToken.None);

        card.WaitForAssertion(() => Assert.NotEmpty(card.FindAll("[data-testid=run-history] tbody [data-testid=run-status]")), WaitTimeout);
        var history = card.Find("[data-testid=run-history]");
        Assert.Equal("Skipped", Normalize(history.QuerySelector("[data-testid=run-status]")!.TextContent));
        Assert.Contains("Schedule", history.TextContent, StringComparison.Ordinal);
        Assert.Equal("Never run", Normalize(card.Find(".mud-card-header [data-testid=run-status]").TextContent));
    }

    [Fact]
    public void StatusLabel_SkippedRun_ReturnsSkipped()
    {
        var run = new RunSnapshot
        {
            Id = 1,
            Task = ScriptedTask.TaskKey,
            Trigger = RunTriggers.Schedule,
            Options = new object(),
            State = RunState.Skipped,
            Progress = new RunProgress(0, 0, null, null, null),
            Counters = new RunCounters(0, 0, 0, 0, 0, 0, 0),
        };

        Assert.Equal("Skipped", RunDisplay.StatusLabel(run));
        Assert.Equal("skipped", RunDisplay.StatusClass(run));
    }

    private static AngleSharp.Dom.IElement CronInput(IRenderedComponent<TaskCard> card) =>
        card.Find("[data-testid=schedule-editor] .schedule-editor-fields > :last-child input");

    private static string Normalize(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
