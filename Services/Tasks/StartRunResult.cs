namespace Booklore.Tasks.Services.Tasks;

/// <summary>The run a start request led to: a new one, or the one already in progress.</summary>
public sealed record StartRunResult(RunSnapshot Run, bool AlreadyRunning);
