using System.Globalization;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Services.Refresh;

/// <summary>
/// Reads and writes one <see cref="MetadataField"/> of a <see cref="BookMetadata"/>, and gives
/// each value a canonical text: the form stored in the change log and used to compare, so an
/// unchanged value is never counted as a change. An empty value has no text (null).
/// </summary>
public static class MetadataFieldValues
{
    public static IReadOnlyList<MetadataField> All { get; } = Enum.GetValues<MetadataField>();

    public static string? Format(BookMetadata metadata, MetadataField field) => field switch
    {
        MetadataField.Title => Text(metadata.Title),
        MetadataField.Subtitle => Text(metadata.Subtitle),
        MetadataField.Authors => metadata.Authors.Count == 0 ? null
            : string.Join("; ", metadata.Authors.Select(author => author.Role == Contributor.AuthorRole
                ? Text(author.Name)
                : $"{Text(author.Name)} ({author.Role})")),
        MetadataField.SeriesName => Text(metadata.SeriesName),
        MetadataField.SeriesNumber => metadata.SeriesNumber?.ToString("0.####", CultureInfo.InvariantCulture),
        MetadataField.SeriesTotal => metadata.SeriesTotal?.ToString(CultureInfo.InvariantCulture),
        MetadataField.Publisher => Text(metadata.Publisher),
        MetadataField.PublishedDate => metadata.PublishedDate?.ToString(),
        MetadataField.Language => Text(metadata.Language)?.ToLowerInvariant(),
        MetadataField.Description => Text(metadata.Description),
        MetadataField.Isbn10 => Isbn(metadata.Isbn10),
        MetadataField.Isbn13 => Isbn(metadata.Isbn13),
        MetadataField.Identifiers => metadata.Identifiers.Count == 0 ? null
            : string.Join("; ", metadata.Identifiers
                .Select(id => $"{id.Scheme.Trim().ToLowerInvariant()}:{id.Value.Trim()}")
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Order(StringComparer.OrdinalIgnoreCase)),
        MetadataField.Subjects => metadata.Subjects.Count == 0 ? null
            : string.Join("; ", metadata.Subjects
                .Select(subject => Text(subject))
                .OfType<string>()
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Order(StringComparer.OrdinalIgnoreCase)),
        MetadataField.PageCount => metadata.PageCount?.ToString(CultureInfo.InvariantCulture),
        MetadataField.Volume => metadata.Volume?.ToString(CultureInfo.InvariantCulture),
        MetadataField.StoryArc => Text(metadata.StoryArc),
        MetadataField.AgeRating => Text(metadata.AgeRating),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown metadata field."),
    };

    /// <summary>True when both values have the same canonical text (language, identifiers and subjects ignore case).</summary>
    public static bool AreEqual(BookMetadata first, BookMetadata second, MetadataField field)
    {
        var comparison = field is MetadataField.Subjects or MetadataField.Identifiers or MetadataField.Language
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal;
        return string.Equals(Format(first, field), Format(second, field), comparison);
    }

    /// <summary>Returns <paramref name="target"/> with <paramref name="field"/> taken from <paramref name="source"/>.</summary>
    public static BookMetadata Copy(BookMetadata source, BookMetadata target, MetadataField field) => field switch
    {
        MetadataField.Title => target with { Title = source.Title },
        MetadataField.Subtitle => target with { Subtitle = source.Subtitle },
        MetadataField.Authors => target with { Authors = source.Authors },
        MetadataField.SeriesName => target with { SeriesName = source.SeriesName },
        MetadataField.SeriesNumber => target with { SeriesNumber = source.SeriesNumber },
        MetadataField.SeriesTotal => target with { SeriesTotal = source.SeriesTotal },
        MetadataField.Publisher => target with { Publisher = source.Publisher },
        MetadataField.PublishedDate => target with { PublishedDate = source.PublishedDate },
        MetadataField.Language => target with { Language = source.Language },
        MetadataField.Description => target with { Description = source.Description },
        MetadataField.Isbn10 => target with { Isbn10 = source.Isbn10 },
        MetadataField.Isbn13 => target with { Isbn13 = source.Isbn13 },
        MetadataField.Identifiers => target with { Identifiers = source.Identifiers },
        MetadataField.Subjects => target with { Subjects = source.Subjects },
        MetadataField.PageCount => target with { PageCount = source.PageCount },
        MetadataField.Volume => target with { Volume = source.Volume },
        MetadataField.StoryArc => target with { StoryArc = source.StoryArc },
        MetadataField.AgeRating => target with { AgeRating = source.AgeRating },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown metadata field."),
    };

    private static string? Text(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static string? Isbn(string? value)
    {
        var digits = value is null ? "" : new string(value.Where(c => char.IsDigit(c) || c is 'X' or 'x').ToArray());
        return digits.Length == 0 ? null : digits.ToUpperInvariant();
    }
}
