using Booklore.Tasks.Components.Pages.Runs;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Booklore.Tasks.Tests.Components;

public sealed class RunDetailsTests : BunitTestBase
{
    [Fact]
    public async Task UndoButton_ConfirmedUndo_RestoresAndListsLeftAlone()
    {
        var book = await AddBookAsync("Dune", book => book.Publisher = "Edited by hand");
        var runId = await AddRefreshRunAsync(
            dryRun: false,
            Change(book.Id, MetadataField.Title, "Old title", "Dune", new BookMetadata { Title = "Old title" }),
            Change(book.Id, MetadataField.Publisher, null, "Chilton", new BookMetadata()));
        var dialogs = Render<MudDialogProvider>();
        var page = Render<RunDetails>(parameters => parameters.Add(component => component.Id, runId));
        page.WaitForElement("[data-testid=undo-run]", WaitTimeout);

        var undo = page.Find("[data-testid=undo-run]").ClickAsync(new());
        dialogs.WaitForElement("[data-testid=confirm-undo]", WaitTimeout);
        var dialogText = dialogs.Find(".mud-dialog").TextContent;
        await dialogs.Find("[data-testid=confirm-undo]").ClickAsync(new());
        await undo;

        Assert.Contains("restores the old value", dialogText, StringComparison.Ordinal);
        Assert.Contains("keeps its current value", dialogText, StringComparison.Ordinal);
        page.WaitForElement("[data-testid=undo-result]", WaitTimeout);
        Assert.Contains("Undo restored 1 field.", Normalize(page.Find("[data-testid=undo-result]").TextContent), StringComparison.Ordinal);
        var leftAlone = page.Find("[data-testid=undo-left-alone]");
        var link = leftAlone.QuerySelector("a");
        Assert.NotNull(link);
        Assert.Equal($"books/{book.Id}", link.GetAttribute("href"));
        Assert.Equal("Old title", link.TextContent.Trim());
        Assert.Contains("Publisher", leftAlone.TextContent, StringComparison.Ordinal);
        Assert.Contains("changed after the run", leftAlone.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=undo-run]"));
        await using var context = Database.CreateDbContext();
        Assert.Equal("Old title", (await context.Books.SingleAsync(stored => stored.Id == book.Id)).Title);
        Assert.NotNull((await context.TaskRuns.SingleAsync(run => run.Id == runId)).UndoneAt);
    }

    [Fact]
    public async Task UndoButton_PreviewRun_NotShown()
    {
        var book = await AddBookAsync("Dune");
        var runId = await AddRefreshRunAsync(dryRun: true, Change(book.Id, MetadataField.Title, null, "Dune", new BookMetadata()));

        var page = Render<RunDetails>(parameters => parameters.Add(component => component.Id, runId));

        page.WaitForElement("[data-testid=preview-banner]", WaitTimeout);
        Assert.Empty(page.FindAll("[data-testid=undo-run]"));
    }

    [Fact]
    public async Task UndoButton_RunWithoutChanges_NotShown()
    {
        var runId = await AddRefreshRunAsync(dryRun: false);

        var page = Render<RunDetails>(parameters => parameters.Add(component => component.Id, runId));

        page.WaitForElement("[data-testid=run-summary]", WaitTimeout);
        Assert.Empty(page.FindAll("[data-testid=undo-run]"));
    }

    [Fact]
    public async Task UndoButton_UndoneRun_ShowsWhenInstead()
    {
        var book = await AddBookAsync("Dune");
        var runId = await AddRefreshRunAsync(dryRun: false, Change(book.Id, MetadataField.Title, null, "Dune", new BookMetadata()));
        await using (var context = Database.CreateDbContext())
        {
            var run = await context.TaskRuns.SingleAsync(stored => stored.Id == runId);
            run.UndoneAt = Time.GetUtcNow().AddHours(-2);
            await context.SaveChangesAsync();
        }

        var page = Render<RunDetails>(parameters => parameters.Add(component => component.Id, runId));

        page.WaitForElement("[data-testid=undone-at]", WaitTimeout);
        Assert.Contains("undone 2 h ago", Normalize(page.Find("[data-testid=undone-at]").TextContent), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=undo-run]"));
    }

    [Fact]
    public async Task PreviewRun_Changes_ShowsCountsPerFieldGroupedByBook()
    {
        var dune = await AddBookAsync("Dune");
        var emma = await AddBookAsync("Emma");
        var runId = await AddRefreshRunAsync(
            dryRun: true,
            Change(dune.Id, MetadataField.Title, null, "Dune", new BookMetadata()),
            Change(dune.Id, MetadataField.Publisher, null, "Chilton", new BookMetadata()),
            Change(emma.Id, MetadataField.Title, null, "Emma", new BookMetadata()),
            Change(emma.Id, MetadataField.Language, null, "en", new BookMetadata()),
            Change(emma.Id, MetadataField.Publisher, null, "Murray", new BookMetadata()),
            Change(emma.Id, MetadataField.Subjects, null, "Fiction", new BookMetadata()));

        var page = Render<RunDetails>(parameters => parameters.Add(component => component.Id, runId));

        page.WaitForElement("[data-testid=field-counts]", WaitTimeout);
        Assert.Equal("2", FieldCount(page, MetadataField.Title));
        Assert.Equal("2", FieldCount(page, MetadataField.Publisher));
        Assert.Equal("1", FieldCount(page, MetadataField.Language));
        Assert.Equal("1", FieldCount(page, MetadataField.Subjects));
        Assert.Empty(page.FindAll($".field-count[data-field={MetadataField.Isbn13}]"));
        Assert.Contains("Preview — nothing was written", page.Find("[data-testid=preview-banner]").TextContent, StringComparison.Ordinal);
        var groups = page.FindAll("[data-testid=run-changes] tbody[data-book]");
        Assert.Equal(2, groups.Count);
        Assert.Equal("Dune", groups[0].QuerySelector("a")?.TextContent.Trim());
        Assert.Equal($"books/{emma.Id}", groups[1].QuerySelector("a")?.GetAttribute("href"));
        Assert.Equal(4, groups[1].QuerySelectorAll("td.change-new").Length);
    }

    [Fact]
    public async Task PreviewBanner_ApplyClicked_StartsSameRefreshWithoutPreview()
    {
        var book = await AddBookAsync("Dune");
        var runId = await AddRefreshRunAsync(
            dryRun: true,
            [Change(book.Id, MetadataField.Title, null, "Dune", new BookMetadata())],
            bookIds: [book.Id]);
        var page = Render<RunDetails>(parameters => parameters.Add(component => component.Id, runId));
        page.WaitForElement("[data-testid=apply-preview]", WaitTimeout);

        await page.Find("[data-testid=apply-preview]").ClickAsync(new());

        var options = await Refresh.Received.Task.WaitAsync(WaitTimeout);
        Assert.False(options.DryRun);
        Assert.Equal([book.Id], options.BookIds);
        Assert.Equal(ReplaceMode.Missing, options.ReplaceMode);
        var started = Assert.Single(await Registry.GetHistoryAsync(TaskKeys.RefreshMetadata, 10, CancellationToken.None), run => run.Id != runId);
        Assert.EndsWith($"runs/{started.Id}", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    private async Task<Book> AddBookAsync(string title, Action<Book>? configure = null)
    {
        var library = await TestBooks.AddLibraryAsync(Database, $"Library {title}");
        return await TestBooks.AddBookAsync(Database, library.Id, $"/books/{title}.cbz", book =>
        {
            book.Title = title;
            configure?.Invoke(book);
        });
    }

    private Task<long> AddRefreshRunAsync(bool dryRun, params MetadataChange[] changes) =>
        AddRefreshRunAsync(dryRun, changes, bookIds: []);

    /// <summary>Stores a finished refresh run with its change log, as the refresh task leaves it.</summary>
    private async Task<long> AddRefreshRunAsync(bool dryRun, MetadataChange[] changes, int[] bookIds)
    {
        await using var context = Database.CreateDbContext();
        var finished = Time.GetUtcNow().AddMinutes(-10);
        var run = new TaskRun
        {
            TaskKey = TaskKeys.RefreshMetadata,
            Trigger = RunTriggers.User,
            OptionsJson = System.Text.Json.JsonSerializer.Serialize(
                new RefreshOptions { DryRun = dryRun, BookIds = bookIds },
                RunJson.Options),
            State = RunState.Success,
            QueuedAt = finished.AddMinutes(-1),
            StartedAt = finished.AddMinutes(-1),
            UpdatedAt = finished,
            FinishedAt = finished,
            Changed = changes.Select(change => change.BookId).Distinct().Count(),
            Summary = "Refreshed.",
        };
        context.TaskRuns.Add(run);
        await context.SaveChangesAsync();
        foreach (var change in changes)
        {
            change.RunId = run.Id;
        }

        context.MetadataChanges.AddRange(changes);
        await context.SaveChangesAsync();
        return run.Id;
    }

    private static MetadataChange Change(int bookId, MetadataField field, string? oldValue, string newValue, BookMetadata old) => new()
    {
        BookId = bookId,
        Field = field,
        OldValue = oldValue,
        NewValue = newValue,
        OldJson = BookMetadataMapping.SerializeMetadata(old),
    };

    private static string FieldCount(IRenderedComponent<RunDetails> page, MetadataField field) =>
        page.Find($".field-count[data-field={field}] .field-count-value").TextContent.Trim();

    private static string Normalize(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
