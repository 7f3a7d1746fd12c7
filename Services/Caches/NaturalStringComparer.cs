namespace Booklore.Tasks.Services.Caches;

/// <summary>
/// Compares strings case-insensitively with runs of digits compared as numbers, so "page2"
/// sorts before "page10". Equal strings by that rule fall back to ordinal order, so the order is total.
/// </summary>
internal sealed class NaturalStringComparer : IComparer<string>
{
    public static NaturalStringComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null)
        {
            return y is null ? 0 : -1;
        }

        if (y is null)
        {
            return 1;
        }

        var result = CompareNatural(x, y);
        return result != 0 ? result : string.CompareOrdinal(x, y);
    }

    private static int CompareNatural(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        while (!x.IsEmpty && !y.IsEmpty)
        {
            var xRun = TakeRun(x);
            var yRun = TakeRun(y);
            var result = char.IsAsciiDigit(x[0]) && char.IsAsciiDigit(y[0])
                ? CompareDigits(xRun, yRun)
                : xRun.CompareTo(yRun, StringComparison.OrdinalIgnoreCase);
            if (result != 0)
            {
                return result;
            }

            x = x[xRun.Length..];
            y = y[yRun.Length..];
        }

        return x.Length.CompareTo(y.Length);
    }

    /// <summary>Returns the leading run of digits, or of non-digits.</summary>
    private static ReadOnlySpan<char> TakeRun(ReadOnlySpan<char> text)
    {
        var digits = char.IsAsciiDigit(text[0]);
        var length = 1;
        while (length < text.Length && char.IsAsciiDigit(text[length]) == digits)
        {
            length++;
        }

        return text[..length];
    }

    private static int CompareDigits(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        // Leading zeros do not change the value; a longer run without them is the larger number.
        var xValue = x.TrimStart('0');
        var yValue = y.TrimStart('0');
        if (xValue.Length != yValue.Length)
        {
            return xValue.Length.CompareTo(yValue.Length);
        }

        var result = xValue.SequenceCompareTo(yValue);
        return result != 0 ? result : x.Length.CompareTo(y.Length);
    }
}
