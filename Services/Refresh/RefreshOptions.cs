using Booklore.Tasks.Services.Tasks;
using FluentValidation;

namespace Booklore.Tasks.Services.Refresh;

public enum ReplaceMode
{
    /// <summary>Write a field only when the database value is missing and the file has one.</summary>
    Missing,

    /// <summary>Overwrite every field the file has a value for.</summary>
    All,
}

/// <summary>Options of a metadata refresh, as the page and the API send them.</summary>
public sealed record RefreshOptions : ILibraryScopedOptions
{
    public ReplaceMode ReplaceMode { get; init; } = ReplaceMode.Missing;

    /// <summary>With Replace All, also clear database values of fields the file leaves empty.</summary>
    public bool ClearEmpty { get; init; }

    /// <summary>Limits the refresh to one library; null means all libraries.</summary>
    public int? LibraryId { get; init; }

    /// <summary>Limits the refresh to these books; empty means every book in scope.</summary>
    public IReadOnlyList<int> BookIds { get; init; } = [];

    /// <summary>Computes and records the changes without writing them.</summary>
    public bool DryRun { get; init; }

    /// <summary>Rereads every file even when its size and modification time are unchanged.</summary>
    public bool Force { get; init; }
}

public sealed class RefreshOptionsValidator : AbstractValidator<RefreshOptions>
{
    public RefreshOptionsValidator()
    {
        RuleFor(options => options.ReplaceMode).IsInEnum()
            .WithMessage("'replaceMode' must be \"missing\" or \"all\".");
        RuleFor(options => options.ClearEmpty).Equal(false).When(options => options.ReplaceMode == ReplaceMode.Missing)
            .WithMessage("'clearEmpty' works only with \"replaceMode\": \"all\"; remove it or choose \"all\".");
        RuleFor(options => options.LibraryId).GreaterThan(0).When(options => options.LibraryId is not null)
            .WithMessage("'libraryId' must be a positive library id, or null for all libraries.");
        RuleForEach(options => options.BookIds).GreaterThan(0)
            .WithMessage("'bookIds' must contain positive book ids only.");
        RuleFor(options => options.BookIds.Count).LessThanOrEqualTo(100_000)
            .OverridePropertyName("bookIds")
            .WithMessage("'bookIds' may list at most 100000 books; use 'libraryId' for larger scopes.");
    }
}

/// <summary>Options of a library scan.</summary>
public sealed record ScanOptions : ILibraryScopedOptions
{
    /// <summary>Limits the scan to one library; null means all libraries.</summary>
    public int? LibraryId { get; init; }
}

public sealed class ScanOptionsValidator : AbstractValidator<ScanOptions>
{
    public ScanOptionsValidator()
    {
        RuleFor(options => options.LibraryId).GreaterThan(0).When(options => options.LibraryId is not null)
            .WithMessage("'libraryId' must be a positive library id, or null for all libraries.");
    }
}
