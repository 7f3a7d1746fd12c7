using Booklore.Tasks.Data;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>An immutable view of a run, as pages and the API show it.</summary>
public sealed record RunSnapshot
{
    public required long Id { get; init; }
    public required string Task { get; init; }
    public required string Trigger { get; init; }
    public required object Options { get; init; }
    public required RunState State { get; init; }
    public StaleInfo? Stale { get; init; }
    public required RunProgress Progress { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? HeartbeatAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When someone asked the run to stop; null when nobody did.</summary>
    public DateTimeOffset? CancelRequestedAt { get; init; }
    public required RunCounters Counters { get; init; }
    public string? Summary { get; init; }
    public int WarningCount { get; init; }
    public int ErrorCount { get; init; }

    /// <summary>When the run's metadata changes were undone; null while they stand.</summary>
    public DateTimeOffset? UndoneAt { get; init; }

    public bool IsActive => State is RunState.Queued or RunState.Running or RunState.Cancelling;

    public TimeSpan? Duration(DateTimeOffset now) => StartedAt is { } started ? (FinishedAt ?? now) - started : null;
}

/// <summary>Why a running task is shown as stale, decided on the server, with the run's last message.</summary>
public sealed record StaleInfo(string Reason, DateTimeOffset LastProgressAt, string? LastMessage);

public sealed record RunProgress(long Done, long Total, string? CurrentItem, double? RatePerSecond, double? EtaSeconds)
{
    public int? Percent => Total > 0 ? (int)Math.Min(100, Done * 100 / Total) : null;
}

public sealed record RunCounters(
    long Processed,
    long Changed,
    long Unchanged,
    long SkippedLocked,
    long Failed,
    long FilesDeleted,
    long BytesFreed);
