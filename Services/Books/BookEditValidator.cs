using System.Text.RegularExpressions;
using Booklore.Tasks.Services.Metadata;
using FluentValidation;

namespace Booklore.Tasks.Services.Books;

/// <summary>
/// Validates a <see cref="BookEdit"/> for the edit form and the PATCH endpoint. Only the fields a
/// request sets are checked. Each message names the field and how to fix it.
/// </summary>
public sealed partial class BookEditValidator : AbstractValidator<BookEdit>
{
    public const int MaxTitleLength = 500;
    public const int MaxTextLength = 1_000;
    public const int MaxNotesLength = 20_000;

    public BookEditValidator()
    {
        RuleFor(edit => edit.Title)
            .Must(title => !string.IsNullOrWhiteSpace(title))
            .When(edit => edit.Title is not null)
            .WithMessage("Title is required; enter the book's title.");
        RuleFor(edit => edit.Title)
            .Must(title => title!.Trim().Length <= MaxTitleLength)
            .When(edit => edit.Title is not null)
            .WithMessage(edit => $"Title is {edit.Title!.Trim().Length} characters long; shorten it to at most {MaxTitleLength}.");

        RuleFor(edit => edit.Subtitle).MaximumLength(MaxTextLength)
            .WithMessage($"Subtitle is too long; shorten it to at most {MaxTextLength} characters.");
        RuleFor(edit => edit.SeriesName).MaximumLength(MaxTextLength)
            .WithMessage($"Series name is too long; shorten it to at most {MaxTextLength} characters.");
        RuleFor(edit => edit.Publisher).MaximumLength(MaxTextLength)
            .WithMessage($"Publisher is too long; shorten it to at most {MaxTextLength} characters.");

        RuleFor(edit => edit.SeriesNumber).GreaterThanOrEqualTo(0)
            .WithMessage("Series number must be 0 or more, such as 1 or 1.5.");
        RuleFor(edit => edit.SeriesTotal).GreaterThanOrEqualTo(0)
            .WithMessage("Series total must be 0 or more.");
        RuleFor(edit => edit.PageCount).GreaterThanOrEqualTo(0)
            .WithMessage("Page count must be 0 or more.");
        RuleFor(edit => edit.Volume).GreaterThanOrEqualTo(0)
            .WithMessage("Volume must be 0 or more, such as 1 or 2016.");
        RuleFor(edit => edit.Rating).InclusiveBetween(1, 5)
            .WithMessage("Rating must be a whole number of stars from 1 to 5; clear the field for no rating.");
        RuleFor(edit => edit.Notes).MaximumLength(MaxNotesLength)
            .WithMessage($"Notes are too long; shorten them to at most {MaxNotesLength} characters.");

        RuleFor(edit => edit.Isbn10)
            .Must(isbn => IsEmpty(isbn) || IsValidIsbn10(isbn!))
            .WithMessage("ISBN-10 must be 10 characters (digits, the last may be X) with a valid check digit; check it for typing errors or leave it empty.");
        RuleFor(edit => edit.Isbn13)
            .Must(isbn => IsEmpty(isbn) || IsValidIsbn13(isbn!))
            .WithMessage("ISBN-13 must be 13 digits starting with 978 or 979 with a valid check digit; check it for typing errors or leave it empty.");
        RuleFor(edit => edit.Language)
            .Must(language => IsEmpty(language) || LanguageTag().IsMatch(language!.Trim()))
            .WithMessage("Language must be a BCP 47 language tag such as \"en\", \"fr\" or \"pt-BR\".");
        RuleFor(edit => edit.PublishedDate)
            .Must(date => IsEmpty(date) || IsValidPublishedDate(date!))
            .WithMessage("Published date must be a real date written as yyyy, yyyy-MM or yyyy-MM-dd, such as 2021 or 2021-06-20.");

        RuleForEach(edit => edit.Authors).ChildRules(author =>
        {
            author.RuleFor(contributor => contributor.Name).NotEmpty()
                .WithMessage("Each author needs a name; remove the empty entry.");
            author.RuleFor(contributor => contributor.Role).NotEmpty()
                .WithMessage("Each author needs a role such as \"author\" or \"writer\".");
        });
        RuleForEach(edit => edit.Identifiers).ChildRules(identifier =>
        {
            identifier.RuleFor(id => id.Scheme).NotEmpty()
                .WithMessage("Each identifier needs a scheme such as \"goodreads\" or \"asin\".");
            identifier.RuleFor(id => id.Value).NotEmpty()
                .WithMessage("Each identifier needs a value; remove the empty entry.");
        });
        RuleForEach(edit => edit.Subjects)
            .Must(subject => !string.IsNullOrWhiteSpace(subject))
            .WithMessage("Subjects must not be empty; remove the empty entry.");

        RuleForEach(edit => edit.Clear)
            .Must(name => BookEditFields.All.Contains(name, StringComparer.OrdinalIgnoreCase))
            .WithMessage((_, name) => $"Clear lists '{name}', which is not an editable field; use one of: {string.Join(", ", BookEditFields.All)}.");
        RuleFor(edit => edit.Clear)
            .Must(names => !names.Contains("title", StringComparer.OrdinalIgnoreCase))
            .WithMessage("Title cannot be cleared because every book needs one; set a new title instead.");
    }

    /// <summary>Returns the messages for one property, for field-level validation in a form.</summary>
    public IEnumerable<string> ValidateProperty(BookEdit edit, string propertyName) =>
        this.Validate(edit, options => options.IncludeProperties(propertyName)).Errors.Select(failure => failure.ErrorMessage);

    /// <summary>Removes hyphens and spaces, which ISBNs are often printed with.</summary>
    public static string NormalizeIsbn(string isbn) =>
        new string(isbn.Where(c => c is not ('-' or ' ')).ToArray()).ToUpperInvariant();

    public static bool IsValidIsbn10(string isbn)
    {
        var digits = NormalizeIsbn(isbn);
        if (digits.Length != 10 || !digits[..9].All(char.IsAsciiDigit) || !(char.IsAsciiDigit(digits[9]) || digits[9] == 'X'))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            var value = digits[i] == 'X' ? 10 : digits[i] - '0';
            sum += value * (10 - i);
        }

        return sum % 11 == 0;
    }

    public static bool IsValidIsbn13(string isbn)
    {
        var digits = NormalizeIsbn(isbn);
        if (digits.Length != 13 || !digits.All(char.IsAsciiDigit) || !(digits.StartsWith("978", StringComparison.Ordinal) || digits.StartsWith("979", StringComparison.Ordinal)))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 13; i++)
        {
            sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        return sum % 10 == 0;
    }

    /// <summary>True when the text is exactly yyyy, yyyy-MM or yyyy-MM-dd and names a real date.</summary>
    public static bool IsValidPublishedDate(string text)
    {
        var trimmed = text.Trim();
        if (!PublishedDatePattern().IsMatch(trimmed))
        {
            return false;
        }

        // PartialDate drops a part it cannot use (month 13, 30 February), so a round trip shows whether every part was valid.
        return PartialDate.TryParse(trimmed)?.ToString() == trimmed;
    }

    private static bool IsEmpty(string? value) => string.IsNullOrWhiteSpace(value);

    // A plausibility check, not the full BCP 47 grammar: a 2-3 letter language, an optional
    // 4-letter script, an optional region (2 letters or 3 digits) and optional variants.
    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$")]
    private static partial Regex LanguageTag();

    [GeneratedRegex(@"^\d{4}(-\d{2}(-\d{2})?)?$")]
    private static partial Regex PublishedDatePattern();
}
