using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Scheduling;
using Booklore.Tasks.Services.Tasks;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Booklore.Tasks.Components.Pages.TaskManagement;

/// <summary>
/// Reads its task's state from <see cref="TaskRegistry"/> and keeps it live: it subscribes to
/// <see cref="TaskRegistry.RunChanged"/>, <see cref="ScheduleService.Changed"/> (and the cache size)
/// after the first render and reloads everything from the server when <see cref="RefreshGeneration"/> changes.
/// </summary>
public sealed partial class TaskCard : IDisposable
{
    private const int HistoryLength = 10;

    private readonly CancellationTokenSource _disposed = new();

    // Runs seen in a final state; a progress event that arrives after the final one is ignored.
    private readonly HashSet<long> _finishedRunIds = [];
    private RunSnapshot? _active;
    private RunSnapshot? _last;
    private IReadOnlyList<RunSnapshot> _history = [];
    private CacheSize? _cacheSize;
    private ScheduleInfo? _schedule;
    private RefreshOptionsForm? _refreshForm;
    private MudButton? _startButton;

    // Set by Cancel. The Cancel button disappears with the run, which would leave keyboard focus on
    // the page body, so focus moves to the card's start button once the run has ended.
    private bool _focusStartAfterRun;
    private bool _focusStartPending;
    private bool _starting;
    private bool _cancelling;
    private bool _subscribed;
    private int? _loadedGeneration;
    private ITimer? _clockTimer;
    private int _idleTicks;

    [Inject]
    private TaskRegistry Registry { get; set; } = null!;

    [Inject]
    private ScheduleService Schedules { get; set; } = null!;

    [Inject]
    private TimeProvider Clock { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private ILogger<TaskCard> Logger { get; set; } = null!;

    [Parameter, EditorRequired]
    public IMaintenanceTask Task { get; set; } = null!;

    /// <summary>Changes when the page's Refresh button is pressed; the card then rereads its state.</summary>
    [Parameter]
    public int RefreshGeneration { get; set; }

    /// <summary>Books chosen in the book list, offered as the refresh scope.</summary>
    [Parameter]
    public IReadOnlyList<int> SelectedBookIds { get; set; } = [];

    public void Dispose()
    {
        if (_subscribed)
        {
            Registry.RunChanged -= OnRunChanged;
            Schedules.Changed -= OnScheduleChanged;
            if (Task is ICacheTask cache)
            {
                cache.CacheSizeChanged -= OnCacheSizeChanged;
            }
        }

        _clockTimer?.Dispose();

        // Cancelled, not disposed: an event handler already running may still read its token.
        _disposed.Cancel();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedGeneration != RefreshGeneration)
        {
            _loadedGeneration = RefreshGeneration;
            await ReloadAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusStartPending)
        {
            _focusStartPending = false;
            await FocusStartButtonAsync();
        }

        if (!firstRender)
        {
            return;
        }

        Registry.RunChanged += OnRunChanged;
        Schedules.Changed += OnScheduleChanged;
        if (Task is ICacheTask cache)
        {
            cache.CacheSizeChanged += OnCacheSizeChanged;
        }

        _subscribed = true;

        // Elapsed time and relative times move without events; a light tick keeps them current.
        _clockTimer = Clock.CreateTimer(_ => OnClockTick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        // Reread after subscribing, so that a change between the first load and the subscription is not lost.
        await ReloadAsync();
        StateHasChanged();
    }

    private async Task ReloadAsync()
    {
        _cacheSize = (Task as ICacheTask)?.GetCacheSize();
        _active = Registry.GetActiveRun(Task.Key);
        _history = await Registry.GetHistoryAsync(Task.Key, HistoryLength, _disposed.Token);

        // A skipped scheduled start ran nothing, so it is listed in the history but is not the last run.
        _last = _history.FirstOrDefault(run => run is { IsActive: false, State: not RunState.Skipped });
        await ReloadScheduleAsync();
    }

    private async Task ReloadScheduleAsync()
    {
        var schedules = await Schedules.GetAllAsync(_disposed.Token);
        _schedule = schedules.GetValueOrDefault(Task.Key);
    }

    private void OnScheduleChanged()
    {
        _ = InvokeAsync(async () =>
        {
            await ReloadScheduleAsync();
            StateHasChanged();
        }).ContinueWith(
            failed => LogScheduleUpdateFailed(Logger, failed.Exception, Task.Key),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
    }

    private void OnScheduleSaved(ScheduleInfo? schedule) => _schedule = schedule;

    private JsonElement? ReadRefreshOptions() => _refreshForm is null
        ? null
        : JsonSerializer.SerializeToElement(_refreshForm.GetChosenOptions(), RunJson.Options);

    private void OnRunChanged(RunSnapshot run)
    {
        if (run.Task != Task.Key)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            Apply(run);
            if (!run.IsActive)
            {
                _history = await Registry.GetHistoryAsync(Task.Key, HistoryLength, _disposed.Token);
            }

            StateHasChanged();
        }).ContinueWith(
            failed => LogUpdateFailed(Logger, failed.Exception, run.Id),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
    }

    private void OnCacheSizeChanged()
    {
        if (Task is ICacheTask cache)
        {
            _ = InvokeAsync(() =>
            {
                _cacheSize = cache.GetCacheSize();
                StateHasChanged();
            });
        }
    }

    private void OnClockTick()
    {
        // The next run time moves on once the scheduler has started (or skipped) the due run.
        if (_schedule?.NextRunAt is { } next && next <= Clock.GetUtcNow())
        {
            OnScheduleChanged();
            return;
        }

        // Re-render every second while a run is active, and every 30 seconds otherwise.
        if (_active is null && ++_idleTicks % 30 != 0)
        {
            return;
        }

        _ = InvokeAsync(StateHasChanged);
    }

    /// <summary>Applies a snapshot unless it is older than what the card already shows.</summary>
    private void Apply(RunSnapshot run)
    {
        if (run.IsActive)
        {
            if (_finishedRunIds.Contains(run.Id)
                || (_active is { } current && current.Id == run.Id && run.UpdatedAt < current.UpdatedAt))
            {
                return;
            }

            _active = run;
            return;
        }

        _finishedRunIds.Add(run.Id);
        if (run.State == RunState.Skipped)
        {
            // Only the history shows a skipped scheduled start; the card keeps the run that is going on.
            return;
        }

        if (_active?.Id == run.Id)
        {
            _active = null;
            _cancelling = false;
            _focusStartPending = _focusStartAfterRun;
            _focusStartAfterRun = false;
        }

        if (_last is null || run.Id >= _last.Id)
        {
            _last = run;
        }
    }

    private Task StartWithoutOptionsAsync() => StartAsync(null);

    private Task StartRefreshAsync(RefreshOptions options) =>
        StartAsync(JsonSerializer.SerializeToElement(options, RunJson.Options));

    private async Task StartAsync(JsonElement? options)
    {
        _starting = true;
        try
        {
            var result = await Registry.StartAsync(Task.Key, options, RunTriggers.User, _disposed.Token);
            Apply(result.Run);
            if (result.AlreadyRunning)
            {
                Snackbar.Add($"{Task.Name} is already running (run {result.Run.Id}); its progress is shown on the card.", Severity.Info);
            }
        }
        catch (InvalidRunOptionsException exception)
        {
            Snackbar.Add($"The run was not started: {exception.Message}", Severity.Error);
        }
        finally
        {
            _starting = false;
        }
    }

    private async Task CancelAsync()
    {
        if (_active is not { } run)
        {
            return;
        }

        _cancelling = true;
        _focusStartAfterRun = true;
        var snapshot = await Registry.CancelAsync(run.Id, _disposed.Token);
        if (snapshot is not null)
        {
            Apply(snapshot);
        }
    }

    private async Task FocusStartButtonAsync()
    {
        if (_refreshForm is not null)
        {
            await _refreshForm.FocusStartButtonAsync();
        }
        else if (_startButton is not null)
        {
            await _startButton.FocusAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The task card failed to show the change of run {RunId}")]
    private static partial void LogUpdateFailed(ILogger logger, Exception? exception, long runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The task card failed to show the new schedule of {TaskKey}")]
    private static partial void LogScheduleUpdateFailed(ILogger logger, Exception? exception, string taskKey);
}
