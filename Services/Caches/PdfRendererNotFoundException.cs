namespace Booklore.Tasks.Services.Caches;

/// <summary>No PDF renderer program is installed; the API returns 503 with this message.</summary>
public sealed class PdfRendererNotFoundException : Exception
{
    public const string DefaultMessage =
        "No PDF renderer found: install the Debian package mupdf-tools or poppler-utils";

    public PdfRendererNotFoundException()
        : base(DefaultMessage)
    {
    }

    public PdfRendererNotFoundException(string message)
        : base(message)
    {
    }

    public PdfRendererNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
