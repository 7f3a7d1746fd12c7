using Booklore.Tasks.Services.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>The real task engine (registry and worker) over a test database, started and stopped by the test.</summary>
public sealed class EngineHost : IAsyncDisposable
{
    private EngineHost(TestDatabase database, TaskRegistry registry, TaskRunWorker worker, TimeProvider time)
    {
        Database = database;
        Registry = registry;
        Worker = worker;
        Time = time;
    }

    public TestDatabase Database { get; }
    public TaskRegistry Registry { get; }
    public TaskRunWorker Worker { get; }
    public TimeProvider Time { get; }

    public static async Task<EngineHost> StartAsync(
        IEnumerable<IMaintenanceTask> tasks,
        TimeProvider? time = null,
        TaskEngineOptions? options = null,
        TestDatabase? database = null)
    {
        database ??= await TestDatabase.CreateAsync();
        time ??= TimeProvider.System;
        var engineOptions = Options.Create(options ?? new TaskEngineOptions { ProgressEventInterval = TimeSpan.FromMilliseconds(20) });
        var registry = new TaskRegistry(tasks, database, time, engineOptions, NullLogger<TaskRegistry>.Instance);
        var worker = new TaskRunWorker(registry, database, NullLogger<TaskRunWorker>.Instance);
        await worker.RecoverInterruptedRunsAsync(CancellationToken.None);
        await worker.StartAsync(CancellationToken.None);
        return new EngineHost(database, registry, worker, time);
    }

    /// <summary>Waits until the run reaches a final state and returns it as stored.</summary>
    public async Task<RunSnapshot> WaitForEndAsync(long runId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var run = await Registry.GetRunAsync(runId, CancellationToken.None);
            if (run is { IsActive: false } && Registry.GetActiveRuns().All(active => active.Id != runId))
            {
                return run;
            }

            if (Time is FakeTimeProvider fake)
            {
                fake.Advance(TimeSpan.FromMilliseconds(50));
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Run {runId} did not end within the timeout.");
    }

    public async ValueTask DisposeAsync()
    {
        await Worker.StopAsync(CancellationToken.None);
        Worker.Dispose();
        Registry.Dispose();
        Database.Dispose();
    }
}
