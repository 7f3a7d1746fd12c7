using Booklore.Tasks.Data;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Services.Library;

/// <summary>Creates and lists libraries; sets up the configured or demo library at start-up.</summary>
public sealed partial class LibraryService(
    IDbContextFactory<BookloreDbContext> contextFactory,
    IOptions<BookloreOptions> options,
    ILogger<LibraryService> logger)
{
    private static readonly NewLibraryValidator Validator = new();

    public async Task<IReadOnlyList<Data.Library>> ListAsync(CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.Libraries.AsNoTracking().Include(library => library.Folders)
            .OrderBy(library => library.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Adds a library. Throws <see cref="ValidationException"/> naming the invalid field.</summary>
    public async Task<Data.Library> CreateAsync(NewLibrary request, CancellationToken cancellationToken)
    {
        await Validator.ValidateAndThrowAsync(request, cancellationToken);
        var name = request.Name.Trim();
        var folders = request.Folders.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await context.Libraries.AnyAsync(library => library.Name == name, cancellationToken))
        {
            throw new ValidationException(
                [new ValidationFailure(nameof(NewLibrary.Name), $"A library named '{name}' already exists; choose another name.")]);
        }

        var folderInUse = await context.LibraryFolders.Where(folder => folders.Contains(folder.Path)).Select(folder => folder.Path).FirstOrDefaultAsync(cancellationToken);
        if (folderInUse is not null)
        {
            throw new ValidationException(
                [new ValidationFailure(nameof(NewLibrary.Folders), $"The folder '{folderInUse}' already belongs to a library; a folder can be in one library only.")]);
        }

        var library = new Data.Library
        {
            Name = name,
            Folders = [.. folders.Select(path => new LibraryFolder { Path = path })],
        };
        context.Libraries.Add(library);
        await context.SaveChangesAsync(cancellationToken);
        LogLibraryCreated(library.Id, library.Name, folders.Count);
        return library;
    }

    /// <summary>
    /// Creates the libraries named in the settings that do not exist yet. With none configured and
    /// an empty database, creates the demo library. Returns the ids of libraries that were created.
    /// Throws <see cref="OptionsValidationException"/> naming the setting when a configured library
    /// has no path or cannot be created.
    /// </summary>
    public async Task<IReadOnlyList<int>> EnsureConfiguredLibrariesAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var configured = settings.Libraries
            .Select((library, index) => (Setting: $"Booklore:Libraries:{index}", Library: new NewLibrary(library.Name ?? $"Library {index + 1}", [library.Path])))
            .ToList();

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (configured.Count == 0 && !await context.Libraries.AnyAsync(cancellationToken))
        {
            configured.Add((Setting: "Booklore:DemoLibraryPath", Library: new NewLibrary("Demo library", [Path.GetFullPath(settings.DemoLibraryPath)])));
        }

        var created = new List<int>();
        foreach (var (setting, library) in configured)
        {
            if (string.IsNullOrWhiteSpace(library.Folders[0]))
            {
                throw InvalidSetting(setting, $"{setting}:Path is missing; set it, or the environment variable {EnvironmentName(setting)}__Path, to the library folder.");
            }

            var path = Path.GetFullPath(library.Folders[0]);
            if (await context.LibraryFolders.AnyAsync(folder => folder.Path == path, cancellationToken))
            {
                continue;
            }

            if (!Directory.Exists(path))
            {
                LogFolderMissing(library.Name, path);
            }

            try
            {
                created.Add((await CreateAsync(library with { Folders = [path] }, cancellationToken)).Id);
            }
            catch (ValidationException exception)
            {
                var reasons = string.Join(" ", exception.Errors.Select(error => error.ErrorMessage));
                throw InvalidSetting(
                    setting,
                    $"The library '{library.Name}' for {path} in {setting} could not be created: {reasons} The environment variable {EnvironmentName(setting)}__Name sets the name.");
            }
        }

        return created;
    }

    private static OptionsValidationException InvalidSetting(string setting, string message) =>
        new(setting, typeof(BookloreOptions), [message]);

    // Booklore:Libraries:0 is Booklore__Libraries__0 as an environment variable.
    private static string EnvironmentName(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Library {LibraryId} '{LibraryName}' created with {FolderCount} folders")]
    private partial void LogLibraryCreated(int libraryId, string libraryName, int folderCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The folder {FolderPath} of library '{LibraryName}' does not exist; scans will report it until it is mounted")]
    private partial void LogFolderMissing(string libraryName, string folderPath);
}

/// <summary>A request to add a library: a unique name and one or more existing folders.</summary>
public sealed record NewLibrary(string Name, IReadOnlyList<string> Folders);

public sealed class NewLibraryValidator : AbstractValidator<NewLibrary>
{
    public NewLibraryValidator()
    {
        // WithMessage applies to the rule just before it, so each rule gets its own.
        const string nameMessage = "'name' is required and must be at most 200 characters.";
        RuleFor(library => library.Name).NotEmpty().WithMessage(nameMessage)
            .MaximumLength(200).WithMessage(nameMessage);
        RuleFor(library => library.Folders).NotEmpty()
            .WithMessage("'folders' must list at least one folder path.");
        RuleForEach(library => library.Folders)
            .Must(Path.IsPathFullyQualified)
            .WithMessage((_, folder) => $"'folders' must contain absolute paths; '{folder}' is relative.");
    }
}
