using System.Text.Json;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>
/// A maintenance task the admin can run from Task Management, the API or a schedule.
/// Implementations are stateless singletons; everything about one execution lives in its
/// <see cref="RunContext"/>.
/// </summary>
public interface IMaintenanceTask
{
    /// <summary>Stable key used in URLs and the database, such as "clear-cbx-cache".</summary>
    string Key { get; }

    string Name { get; }

    string Description { get; }

    /// <summary>
    /// Parses and validates the options of a start request. Throws
    /// <see cref="InvalidRunOptionsException"/> naming the field when they are invalid.
    /// </summary>
    object ParseOptions(JsonElement? options);

    /// <summary>
    /// True when this task must not run at the same time as <paramref name="other"/>; the later
    /// run then waits as Queued.
    /// </summary>
    bool ConflictsWith(string otherTaskKey, object otherOptions);

    /// <summary>
    /// Does the work. Throws <see cref="OperationCanceledException"/> when the run's token is
    /// cancelled, after reporting what was done; any other exception ends the run as Error.
    /// </summary>
    Task ExecuteAsync(RunContext context);
}

/// <summary>Raised when start options are invalid; the message names the field and the fix.</summary>
public sealed class InvalidRunOptionsException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>Run options that can limit a run to one library, which must exist when the run starts.</summary>
public interface ILibraryScopedOptions
{
    /// <summary>The library the run is limited to; null means all libraries.</summary>
    int? LibraryId { get; }
}
