using System.Globalization;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// Finds loops of PDF objects whose whole body is a reference to another object, such as
/// "6 0 obj 7 0 R endobj" next to "7 0 obj 6 0 R endobj". PdfPig 0.1.16 follows such references
/// recursively without a cycle check, so a loop overflows the stack, which ends the process
/// instead of throwing.
/// </summary>
internal static class PdfReferenceChains
{
    /// <summary>Longest chain of references to references accepted; real files have one or two.</summary>
    internal const int MaxChainLength = 32;

    /// <summary>
    /// Returns the object number where a loop or an over-long chain starts, or null when there is
    /// none among the uncompressed objects.
    /// </summary>
    /// <remarks>
    /// NOTE: objects inside compressed object streams are not scanned, so a loop stored there
    /// still reaches PdfPig.
    /// </remarks>
    public static int? FindLoop(ReadOnlySpan<byte> pdf)
    {
        var references = FindBareReferences(pdf);
        foreach (var start in references.Keys)
        {
            var current = start;
            for (var step = 0; references.TryGetValue(current, out var target); step++)
            {
                if (target == start || step >= MaxChainLength)
                {
                    return start.Number;
                }

                current = target;
            }
        }

        return null;
    }

    // Maps each object whose body is only "N G R" to the object it refers to.
    private static Dictionary<(int Number, int Generation), (int Number, int Generation)> FindBareReferences(ReadOnlySpan<byte> pdf)
    {
        var references = new Dictionary<(int, int), (int, int)>();
        var offset = 0;
        while (true)
        {
            var found = pdf[offset..].IndexOf("obj"u8);
            if (found < 0)
            {
                return references;
            }

            var keyword = offset + found;
            offset = keyword + 3;
            if ((keyword > 0 && IsRegular(pdf[keyword - 1])) || (offset < pdf.Length && IsRegular(pdf[offset])))
            {
                continue;
            }

            var header = keyword;
            if (!TryReadIntegerBackward(pdf, ref header, out var generation) || !TryReadIntegerBackward(pdf, ref header, out var number))
            {
                continue;
            }

            var body = offset;
            if (!TryReadInteger(pdf, ref body, out var targetNumber) || !TryReadInteger(pdf, ref body, out var targetGeneration))
            {
                continue;
            }

            var operatorIndex = SkipWhitespace(pdf, body);
            var isBareReference = operatorIndex < pdf.Length && pdf[operatorIndex] == (byte)'R'
                && pdf[(operatorIndex + 1)..].TrimStart(Whitespace).StartsWith("endobj"u8);
            if (isBareReference)
            {
                references[(number, generation)] = (targetNumber, targetGeneration);
            }
        }
    }

    private static ReadOnlySpan<byte> Whitespace => " \t\r\n\f\0"u8;

    // Regular characters are those that are neither whitespace nor PDF delimiters.
    private static bool IsRegular(byte value) => Whitespace.IndexOf(value) < 0 && "()<>[]{}/%"u8.IndexOf(value) < 0;

    private static int SkipWhitespace(ReadOnlySpan<byte> pdf, int index)
    {
        while (index < pdf.Length && Whitespace.IndexOf(pdf[index]) >= 0)
        {
            index++;
        }

        return index;
    }

    private static bool TryReadInteger(ReadOnlySpan<byte> pdf, ref int index, out int value)
    {
        var start = SkipWhitespace(pdf, index);
        var end = start;
        while (end < pdf.Length && char.IsAsciiDigit((char)pdf[end]) && end - start < 10)
        {
            end++;
        }

        index = end;
        return int.TryParse(pdf[start..end], NumberStyles.None, CultureInfo.InvariantCulture, out value) && (end >= pdf.Length || !IsRegular(pdf[end]));
    }

    // Reads the integer that ends before index, skipping whitespace first, and moves index to its start.
    private static bool TryReadIntegerBackward(ReadOnlySpan<byte> pdf, ref int index, out int value)
    {
        var end = index;
        while (end > 0 && Whitespace.IndexOf(pdf[end - 1]) >= 0)
        {
            end--;
        }

        var start = end;
        while (start > 0 && char.IsAsciiDigit((char)pdf[start - 1]) && end - start < 10)
        {
            start--;
        }

        index = start;
        return int.TryParse(pdf[start..end], NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
