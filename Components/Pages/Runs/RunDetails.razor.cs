using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Microsoft.AspNetCore.Components;

namespace Booklore.Tasks.Components.Pages.Runs;

/// <summary>Shows one run and follows it through <see cref="TaskRegistry.RunChanged"/> while it is active.</summary>
public sealed partial class RunDetails : IDisposable
{
    private const int ListLimit = 1000;

    private readonly CancellationTokenSource _disposed = new();
    private RunSnapshot? _run;
    private bool _notFound;
    private bool _cancelling;
    private bool _subscribed;
    private IReadOnlyList<TaskRunIssue> _issues = [];
    private IReadOnlyList<MetadataChange> _changes = [];
    private IReadOnlyDictionary<int, string> _bookTitles = new Dictionary<int, string>();

    [Inject]
    private TaskRegistry Registry { get; set; } = null!;

    [Inject]
    private BookService Books { get; set; } = null!;

    [Inject]
    private TimeProvider Clock { get; set; } = null!;

    [Parameter]
    public long Id { get; set; }

    private bool IsPreview => _run?.Options is RefreshOptions { DryRun: true };

    private string TaskName => _run is null ? "" : Registry.FindTask(_run.Task)?.Name ?? _run.Task;

    public void Dispose()
    {
        if (_subscribed)
        {
            Registry.RunChanged -= OnRunChanged;
        }

        // Cancelled, not disposed: an event handler already running may still read its token.
        _disposed.Cancel();
    }

    protected override async Task OnParametersSetAsync() => await ReloadAsync();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        Registry.RunChanged += OnRunChanged;
        _subscribed = true;

        // Reread after subscribing, so a change between the first load and the subscription is not lost.
        await ReloadAsync();
        StateHasChanged();
    }

    private async Task ReloadAsync()
    {
        _run = await Registry.GetRunAsync(Id, _disposed.Token);
        _notFound = _run is null;
        await ReloadListsAsync();
    }

    private async Task ReloadListsAsync()
    {
        if (_run is null)
        {
            return;
        }

        _issues = await Registry.GetIssuesAsync(Id, ListLimit, _disposed.Token);
        _changes = await Registry.GetChangesAsync(Id, ListLimit, _disposed.Token);
        var bookIds = _issues.Select(issue => issue.BookId).OfType<int>()
            .Concat(_changes.Select(change => change.BookId))
            .ToHashSet();
        _bookTitles = await Books.GetTitlesAsync(bookIds, _disposed.Token);
    }

    private void OnRunChanged(RunSnapshot run)
    {
        if (run.Id != Id)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            var previous = _run;
            if (previous is { IsActive: false } || (previous is not null && run.IsActive && run.UpdatedAt < previous.UpdatedAt))
            {
                return;
            }

            _run = run;
            var listsChanged = previous is null
                || !run.IsActive
                || run.WarningCount + run.ErrorCount != previous.WarningCount + previous.ErrorCount
                || run.Counters.Changed != previous.Counters.Changed;
            if (listsChanged)
            {
                await ReloadListsAsync();
            }

            StateHasChanged();
        });
    }

    private async Task CancelAsync()
    {
        _cancelling = true;
        if (await Registry.CancelAsync(Id, _disposed.Token) is { } snapshot && _run is { IsActive: true })
        {
            _run = snapshot;
        }
    }

    /// <summary>Lists the options as "name: value" pairs, as the API names them.</summary>
    private static string DescribeOptions(object options)
    {
        var json = options is JsonElement element ? element : JsonSerializer.SerializeToElement(options, options.GetType(), RunJson.Options);
        if (json.ValueKind != JsonValueKind.Object)
        {
            return json.ToString();
        }

        // Raw JSON values read as the API takes them: true, null, "all", [1, 2].
        var pairs = json.EnumerateObject().Select(property => property.Value.ValueKind switch
        {
            JsonValueKind.Array => $"{property.Name}: [{string.Join(", ", property.Value.EnumerateArray().Select(item => item.GetRawText()))}]",
            _ => $"{property.Name}: {property.Value.GetRawText()}",
        }).ToList();
        return pairs.Count == 0 ? "none" : string.Join("; ", pairs);
    }
}
