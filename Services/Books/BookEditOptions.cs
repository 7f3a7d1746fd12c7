namespace Booklore.Tasks.Services.Books;

/// <summary>Settings of manual book edits, read from the "Booklore" section.</summary>
public sealed class BookEditOptions
{
    public const string SectionName = "Booklore";

    /// <summary>Locks a field when someone edits it by hand, so no task changes it later.</summary>
    public bool LockOnEdit { get; set; } = true;
}
