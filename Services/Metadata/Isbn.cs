using System.Text;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>ISBN check-digit validation and conversion between the 10- and 13-digit forms.</summary>
internal static class Isbn
{
    private static readonly string[] Prefixes = ["urn:isbn:", "isbn:", "isbn-13:", "isbn-10:", "isbn13:", "isbn10:", "isbn"];

    /// <summary>
    /// Returns the bare 10 or 13 characters of an ISBN-shaped value (digits, and a final X for
    /// ISBN-10), or null when the text cannot be an ISBN. The check digit is not verified here.
    /// </summary>
    public static string? ExtractCandidate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        foreach (var prefix in Prefixes)
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                value = value[prefix.Length..].TrimStart();
                break;
            }
        }

        var builder = new StringBuilder(13);
        foreach (var character in value)
        {
            if (char.IsAsciiDigit(character) || character is 'X' or 'x')
            {
                builder.Append(char.ToUpperInvariant(character));
            }
            else if (character is not ('-' or ' ' or '\u2010' or '\u2011'))
            {
                return null;
            }
        }

        var digits = builder.ToString();
        var xIndex = digits.IndexOf('X', StringComparison.Ordinal);
        var shapeIsValid = digits.Length switch
        {
            10 => xIndex is -1 or 9,
            13 => xIndex == -1,
            _ => false,
        };

        return shapeIsValid ? digits : null;
    }

    public static bool IsValidIsbn10(string digits)
    {
        if (digits.Length != 10)
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

    public static bool IsValidIsbn13(string digits)
    {
        if (digits.Length != 13 || !(digits.StartsWith("978", StringComparison.Ordinal) || digits.StartsWith("979", StringComparison.Ordinal)))
        {
            return false;
        }

        return ComputeIsbn13CheckDigit(digits) == digits[12] - '0';
    }

    /// <summary>Returns the ISBN-13 for a valid ISBN-10 or ISBN-13, or null when the check digit fails.</summary>
    public static string? ToIsbn13(string digits)
    {
        if (digits.Length == 13)
        {
            return IsValidIsbn13(digits) ? digits : null;
        }

        if (!IsValidIsbn10(digits))
        {
            return null;
        }

        var stem = "978" + digits[..9];
        return stem + ComputeIsbn13CheckDigit(stem);
    }

    /// <summary>Returns the ISBN-10 for a valid ISBN-10, or for a valid 978-prefixed ISBN-13; otherwise null.</summary>
    public static string? ToIsbn10(string digits)
    {
        if (digits.Length == 10)
        {
            return IsValidIsbn10(digits) ? digits : null;
        }

        if (!IsValidIsbn13(digits) || !digits.StartsWith("978", StringComparison.Ordinal))
        {
            return null;
        }

        var stem = digits[3..12];
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (stem[i] - '0') * (10 - i);
        }

        var check = (11 - (sum % 11)) % 11;
        return stem + (check == 10 ? "X" : check.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    // Reads only the first 12 characters, so it works on a 12-digit stem or a full ISBN-13.
    private static int ComputeIsbn13CheckDigit(string digits)
    {
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        return (10 - (sum % 10)) % 10;
    }
}
