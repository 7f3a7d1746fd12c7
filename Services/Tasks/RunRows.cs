using Booklore.Tasks.Data;

namespace Booklore.Tasks.Services.Tasks;

internal static class RunRows
{
    /// <summary>Copies the live state of a run onto its stored row.</summary>
    public static void CopySnapshot(RunSnapshot snapshot, TaskRun row)
    {
        row.State = snapshot.State;
        row.Message = snapshot.Message;
        row.CurrentItem = snapshot.Progress.CurrentItem;
        row.Done = snapshot.Progress.Done;
        row.Total = snapshot.Progress.Total;
        row.StartedAt = snapshot.StartedAt;
        row.UpdatedAt = snapshot.UpdatedAt;
        row.HeartbeatAt = snapshot.HeartbeatAt;
        row.FinishedAt = snapshot.FinishedAt;
        row.CancelRequestedAt = snapshot.CancelRequestedAt;
        row.Processed = snapshot.Counters.Processed;
        row.Changed = snapshot.Counters.Changed;
        row.Unchanged = snapshot.Counters.Unchanged;
        row.SkippedLocked = snapshot.Counters.SkippedLocked;
        row.Failed = snapshot.Counters.Failed;
        row.FilesDeleted = snapshot.Counters.FilesDeleted;
        row.BytesFreed = snapshot.Counters.BytesFreed;
        row.Summary = snapshot.Summary;
    }
}
