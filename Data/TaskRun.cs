namespace Booklore.Tasks.Data;

/// <summary>One execution of a maintenance task, kept as history after it ends.</summary>
public sealed class TaskRun
{
    public long Id { get; set; }
    public required string TaskKey { get; set; }

    /// <summary>Who started the run: "user", "api" or "schedule".</summary>
    public required string Trigger { get; set; }
    public string OptionsJson { get; set; } = "{}";
    public RunState State { get; set; }
    public string? Message { get; set; }
    public string? CurrentItem { get; set; }
    public long Done { get; set; }
    public long Total { get; set; }

    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? CancelRequestedAt { get; set; }

    public long Processed { get; set; }
    public long Changed { get; set; }
    public long Unchanged { get; set; }
    public long SkippedLocked { get; set; }
    public long Failed { get; set; }
    public long FilesDeleted { get; set; }
    public long BytesFreed { get; set; }

    public string? Summary { get; set; }

    /// <summary>When the run's metadata changes were undone; a run is undone at most once.</summary>
    public DateTimeOffset? UndoneAt { get; set; }
    public List<TaskRunIssue> Issues { get; set; } = [];
}

/// <summary>Lifecycle of a run. Every state after Cancelling is final.</summary>
public enum RunState
{
    Queued,
    Running,
    Cancelling,
    Success,
    Warning,
    Error,
    Cancelled,
    Interrupted,

    /// <summary>A scheduled start that found the task already running; nothing was done.</summary>
    Skipped,
}

/// <summary>A warning or error met during a run, with the file or book it concerns.</summary>
public sealed class TaskRunIssue
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public IssueSeverity Severity { get; set; }
    public string? Path { get; set; }
    public int? BookId { get; set; }
    public required string Message { get; set; }
}

public enum IssueSeverity
{
    Warning,
    Error,
}

/// <summary>One metadata field changed by a run, with its value before and after, for review and undo.</summary>
public sealed class MetadataChange
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int BookId { get; set; }
    public MetadataField Field { get; set; }
    /// <summary>Canonical text of the value before the change, for display and comparison.</summary>
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }

    /// <summary>The value before the change as a <see cref="Services.Metadata.BookMetadata"/> JSON holding only this field, for undo.</summary>
    public string? OldJson { get; set; }

    /// <summary>Where the value before the change came from ("file", "manual", ...), or null when it had no source; undo restores it.</summary>
    public string? OldSource { get; set; }
}
