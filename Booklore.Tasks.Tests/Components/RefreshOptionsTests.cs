using Booklore.Tasks.Components.Pages.TaskManagement;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Bunit;
using MudBlazor;

namespace Booklore.Tasks.Tests.Components;

public sealed class RefreshOptionsTests : BunitTestBase
{
    [Fact]
    public void RefreshCard_Default_PreselectsMissingAndDisablesClearEmpty()
    {
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Refresh));

        Assert.True(card.Find("input[data-testid=mode-missing]").HasAttribute("checked"));
        Assert.True(card.Find("input[data-testid=clear-empty]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task RefreshCard_ReplaceAllConfirmed_StartsRunWithOptions()
    {
        var dialogs = Render<MudDialogProvider>();
        var card = Render<TaskCard>(parameters => parameters
            .Add(component => component.Task, Refresh)
            .Add(component => component.SelectedBookIds, new[] { 4, 7 }));

        await card.Find("input[data-testid=mode-all]").ClickAsync(new());
        await card.Find("input[data-testid=clear-empty]").ChangeAsync(new() { Value = true });
        var start = card.Find("[data-testid=start-refresh]").ClickAsync(new());
        dialogs.WaitForElement("[data-testid=confirm-replace-all]", WaitTimeout);
        var dialogText = dialogs.Find(".mud-dialog").TextContent;
        await dialogs.Find("[data-testid=confirm-replace-all]").ClickAsync(new());
        await start;

        Assert.Contains("the 2 selected books", dialogText, StringComparison.Ordinal);
        Assert.Contains("snapshot of the database", dialogText, StringComparison.Ordinal);
        Assert.Contains("Locked fields are kept", dialogText, StringComparison.Ordinal);
        Assert.Contains("Fields the file leaves empty are cleared.", dialogText, StringComparison.Ordinal);
        var options = await Refresh.Received.Task.WaitAsync(WaitTimeout);
        Assert.Equal(ReplaceMode.All, options.ReplaceMode);
        Assert.True(options.ClearEmpty);
        Assert.Equal([4, 7], options.BookIds);
        Assert.Null(options.LibraryId);
    }

    [Fact]
    public async Task RefreshCard_ReplaceAllCancelled_StartsNothing()
    {
        var dialogs = Render<MudDialogProvider>();
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Refresh));

        await card.Find("input[data-testid=mode-all]").ClickAsync(new());
        var start = card.Find("[data-testid=start-refresh]").ClickAsync(new());
        dialogs.WaitForElement("[data-testid=confirm-replace-all]", WaitTimeout);
        await dialogs.FindAll(".mud-dialog button").First(button => button.TextContent.Trim() == "Cancel").ClickAsync(new());
        await start;

        Assert.Empty(await Registry.GetHistoryAsync(TaskKeys.RefreshMetadata, 10, CancellationToken.None));
        Assert.False(Refresh.Received.Task.IsCompleted);
    }

    [Fact]
    public async Task RefreshCard_MissingMode_StartsWithoutConfirmation()
    {
        var dialogs = Render<MudDialogProvider>();
        var card = Render<TaskCard>(parameters => parameters.Add(component => component.Task, Refresh));

        await card.Find("input[data-testid=dry-run]").ChangeAsync(new() { Value = true });
        await card.Find("[data-testid=start-refresh]").ClickAsync(new());

        var options = await Refresh.Received.Task.WaitAsync(WaitTimeout);
        Assert.Equal(ReplaceMode.Missing, options.ReplaceMode);
        Assert.True(options.DryRun);
        Assert.False(options.ClearEmpty);
        Assert.Empty(options.BookIds);
        Assert.Empty(dialogs.FindAll("[data-testid=confirm-replace-all]"));
    }
}
