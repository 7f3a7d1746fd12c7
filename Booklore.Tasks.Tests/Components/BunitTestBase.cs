using Booklore.Tasks.Data;
using Booklore.Tasks.Services;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Scheduling;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Booklore.Tasks.Tests.Components;

/// <summary>
/// Renders components with MudBlazor's services and the real task engine: a <see cref="TaskRegistry"/>
/// and a running <see cref="TaskRunWorker"/> on a temporary SQLite database, with time from a
/// <see cref="FakeTimeProvider"/> so tests decide when progress is published and when a run turns stale.
/// </summary>
public abstract class BunitTestBase : BunitContext, IAsyncLifetime
{
    /// <summary>How often the engine publishes progress; advancing the fake clock by this much publishes it.</summary>
    protected static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    protected static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    private TaskRunWorker? _worker;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected TestDatabase Database { get; private set; } = null!;

    protected ScriptedTask Scripted { get; } = new();

    protected FakeCacheTask Cache { get; } = new();

    protected RecordingRefreshTask Refresh { get; } = new();

    protected TaskRegistry Registry => Services.GetRequiredService<TaskRegistry>();

    protected ScheduleService Schedules => Services.GetRequiredService<ScheduleService>();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.PopoverOptions.CheckForPopoverProvider = false;
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Services.AddLogging();
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddSingleton<IDbContextFactory<BookloreDbContext>>(Database);
        Services.AddSingleton(Options.Create(new BookloreOptions { DataPath = Database.Folder }));
        Services.AddSingleton(Options.Create(new TaskEngineOptions
        {
            ProgressEventInterval = ProgressInterval,
            HeartbeatInterval = TimeSpan.FromMinutes(1),
            StaleAfter = TimeSpan.FromMinutes(2),
            TimeZone = "UTC",
        }));
        Services.AddSingleton<IMaintenanceTask>(Scripted);
        Services.AddSingleton<IMaintenanceTask>(Cache);
        Services.AddSingleton<IMaintenanceTask>(Refresh);
        Services.AddSingleton<TaskRegistry>();
        Services.AddSingleton<TaskRunWorker>();
        Services.AddSingleton<LibraryService>();
        Services.AddSingleton<ScheduleService>();
        Services.AddSingleton<RunUndoService>();
        Services.AddBookServices();

        _worker = Services.GetRequiredService<TaskRunWorker>();
        await _worker.StartAsync(CancellationToken.None);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync(CancellationToken.None);
        }

        // Disposed here, asynchronously, because MudBlazor registers services that only support
        // DisposeAsync; the synchronous Dispose xunit calls afterwards then has nothing left to do.
        await DisposeAsync();
        Database.Dispose();
    }

    /// <summary>Starts a run of the scripted task and returns its context once the worker runs it.</summary>
    protected async Task<RunContext> WaitForScriptedStartAsync() =>
        await Scripted.Started.Task.WaitAsync(WaitTimeout);

    /// <summary>Moves the fake clock on by one progress interval so the engine publishes pending progress.</summary>
    protected void PublishProgress() => Time.Advance(ProgressInterval);
}
