namespace Booklore.Tasks.Services.Caches;

/// <summary>A page could not be produced because the book file is unreadable or the renderer failed.</summary>
public sealed class BookPageException : Exception
{
    public BookPageException()
    {
    }

    public BookPageException(string message)
        : base(message)
    {
    }

    public BookPageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
