using System.Text.Json;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Scheduling;
using Booklore.Tasks.Services.Tasks;

namespace Booklore.Tasks.Services.Api;

/// <summary>HTTP endpoints for tasks and their runs under /api/v1.</summary>
public static class TaskEndpoints
{
    private const int MaxHistory = 200;
    private const int MaxDetails = 5000;

    public static RouteGroupBuilder MapTaskEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/tasks", ListTasksAsync).WithName("ListTasks");
        api.MapPost("/tasks/{key}/runs", StartRunAsync).WithName("StartRun");
        api.MapPut("/tasks/{key}/schedule", SetScheduleAsync).WithName("SetSchedule");
        api.MapDelete("/tasks/{key}/schedule", RemoveScheduleAsync).WithName("RemoveSchedule");
        api.MapGet("/runs", ListRunsAsync).WithName("ListRuns");
        api.MapGet("/runs/{id:long}", GetRunAsync).WithName("GetRun");
        api.MapPost("/runs/{id:long}/cancel", CancelRunAsync).WithName("CancelRun");
        api.MapPost("/runs/{id:long}/undo", UndoRunAsync).WithName("UndoRun");
        return api;
    }

    private static async Task<IResult> ListTasksAsync(
        TaskRegistry registry,
        ScheduleService schedules,
        CancellationToken cancellationToken)
    {
        var lastRuns = await registry.GetLastFinishedRunsAsync(cancellationToken);
        var taskSchedules = await schedules.GetAllAsync(cancellationToken);
        var tasks = registry.Tasks.Select(task => new TaskResponse(
            task.Key,
            task.Name,
            task.Description,
            registry.GetActiveRun(task.Key),
            lastRuns.GetValueOrDefault(task.Key),
            taskSchedules.GetValueOrDefault(task.Key),
            Cache: task is ICacheTask cacheTask ? cacheTask.GetCacheSize() : null));
        return Results.Ok(tasks);
    }

    private static async Task<IResult> StartRunAsync(
        string key,
        HttpRequest request,
        TaskRegistry registry,
        CancellationToken cancellationToken)
    {
        if (registry.FindTask(key) is null)
        {
            return UnknownTask(key);
        }

        JsonElement? options;
        try
        {
            options = await ReadOptionsAsync(request, cancellationToken);
        }
        catch (JsonException exception)
        {
            return Results.Problem(
                title: "Invalid JSON",
                detail: $"The request body is not valid JSON ({exception.Message}). Send an options object such as {{}}.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var result = await registry.StartAsync(key, options, RunTriggers.Api, cancellationToken);
            if (!result.AlreadyRunning)
            {
                return Results.Accepted($"/api/v1/runs/{result.Run.Id}", result.Run);
            }

            // A 200 instead of a 202 tells the client that nothing new started, and the header explains it.
            request.HttpContext.Response.Headers["X-Booklore-Already-Running"] =
                $"{key} is already running as run {result.Run.Id}; no second run was started.";
            return Results.Ok(result.Run);
        }
        catch (InvalidRunOptionsException exception)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { [exception.Field] = [exception.Message] },
                detail: exception.Message,
                title: "Invalid options");
        }
    }

    private static async Task<IResult> SetScheduleAsync(
        string key,
        ScheduleRequest request,
        ScheduleService schedules,
        CancellationToken cancellationToken)
    {
        try
        {
            return Results.Ok(await schedules.SetAsync(
                key, request.Cron ?? "", request.Enabled ?? true, request.Options, request.TimeZone, cancellationToken));
        }
        catch (KeyNotFoundException)
        {
            return UnknownTask(key);
        }
        catch (InvalidRunOptionsException exception)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { [exception.Field] = [exception.Message] },
                detail: exception.Message,
                title: "Invalid schedule");
        }
    }

    private static async Task<IResult> RemoveScheduleAsync(string key, ScheduleService schedules, CancellationToken cancellationToken) =>
        await schedules.RemoveAsync(key, cancellationToken)
            ? Results.NoContent()
            : Results.Problem(title: "Schedule not found", detail: $"The task '{key}' has no schedule.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> ListRunsAsync(
        string? task,
        int? limit,
        TaskRegistry registry,
        CancellationToken cancellationToken)
    {
        if (task is not null && registry.FindTask(task) is null)
        {
            return UnknownTask(task);
        }

        var count = Math.Clamp(limit ?? 50, 1, MaxHistory);
        return Results.Ok(await registry.GetHistoryAsync(task, count, cancellationToken));
    }

    private static async Task<IResult> GetRunAsync(long id, TaskRegistry registry, CancellationToken cancellationToken)
    {
        var run = await registry.GetRunAsync(id, cancellationToken);
        if (run is null)
        {
            return RunNotFound(id);
        }

        var issues = await registry.GetIssuesAsync(id, MaxDetails, cancellationToken);
        var changes = await registry.GetChangesAsync(id, MaxDetails, cancellationToken);
        var body = JsonSerializer.SerializeToNode(run, RunJson.Options)!.AsObject();
        body["issues"] = JsonSerializer.SerializeToNode(
            issues.Select(issue => new IssueResponse(issue.Severity.ToString().ToLowerInvariant(), issue.Path, issue.BookId, issue.Message)),
            RunJson.Options);
        body["changes"] = JsonSerializer.SerializeToNode(
            changes.Select(change => new ChangeResponse(change.BookId, JsonNamingPolicy.CamelCase.ConvertName(change.Field.ToString()), change.OldValue, change.NewValue)),
            RunJson.Options);
        return Results.Json(body, RunJson.Options);
    }

    private static async Task<IResult> CancelRunAsync(long id, TaskRegistry registry, CancellationToken cancellationToken)
    {
        var run = await registry.CancelAsync(id, cancellationToken);
        return run is null ? RunNotFound(id) : Results.Ok(run);
    }

    private static async Task<IResult> UndoRunAsync(long id, RunUndoService undo, CancellationToken cancellationToken)
    {
        try
        {
            return Results.Ok(await undo.UndoAsync(id, cancellationToken));
        }
        catch (KeyNotFoundException)
        {
            return RunNotFound(id);
        }
        catch (RunNotUndoableException exception)
        {
            return Results.Problem(title: "Run cannot be undone", detail: exception.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static async Task<JsonElement?> ReadOptionsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Body.CanSeek && request.Headers.TransferEncoding.Count == 0))
        {
            return null;
        }

        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        return document.RootElement.Clone();
    }

    private static IResult UnknownTask(string key) => Results.Problem(
        title: "Task not found",
        detail: $"There is no task with the key '{key}'. Valid keys: {TaskKeys.ClearCbxCache}, {TaskKeys.ClearPdfCache}, {TaskKeys.RefreshMetadata}, {TaskKeys.ScanLibrary}.",
        statusCode: StatusCodes.Status404NotFound);

    private static IResult RunNotFound(long id) => Results.Problem(
        title: "Run not found",
        detail: $"There is no run with id {id}; GET /api/v1/runs lists the recent ones.",
        statusCode: StatusCodes.Status404NotFound);

    private sealed record TaskResponse(
        string Key,
        string Name,
        string Description,
        RunSnapshot? CurrentRun,
        RunSnapshot? LastRun,
        ScheduleInfo? Schedule,
        CacheSize? Cache);

    /// <summary>
    /// Body of PUT /tasks/{key}/schedule: a cron expression or preset, whether it is on, the run
    /// options, and optionally the time zone the caller means, which must be the server's.
    /// </summary>
    private sealed record ScheduleRequest(string? Cron, bool? Enabled, JsonElement? Options, string? TimeZone);

    private sealed record IssueResponse(string Severity, string? Path, int? BookId, string Message);

    private sealed record ChangeResponse(int BookId, string Field, string? OldValue, string? NewValue);
}
