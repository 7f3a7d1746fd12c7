namespace Booklore.Tasks.Services.Caches;

/// <summary>Log messages of the page caches and the page service.</summary>
internal static partial class CacheLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Walked the {CacheKind} cache: {Files} files, {Bytes} bytes in {ElapsedMs} ms")]
    public static partial void Walked(ILogger logger, PageCacheKind cacheKind, long files, long bytes, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Walking the {CacheKind} cache at {RootPath} failed")]
    public static partial void WalkFailed(ILogger logger, Exception exception, PageCacheKind cacheKind, string rootPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clearing the {CacheKind} cache at {RootPath}")]
    public static partial void Clearing(ILogger logger, PageCacheKind cacheKind, string rootPath);

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Cleared the {CacheKind} cache: {FilesDeleted} files deleted, {BytesFreed} bytes freed, {FailureCount} files not deleted, cancelled: {Cancelled}")]
    public static partial void Cleared(
        ILogger logger, PageCacheKind cacheKind, long filesDeleted, long bytesFreed, int failureCount, bool cancelled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Evicted book folder {BookFolder} from the {CacheKind} cache: {BytesFreed} bytes freed")]
    public static partial void Evicted(ILogger logger, string bookFolder, PageCacheKind cacheKind, long bytesFreed);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Disk full while writing {FileName} for book {BookId} into the {CacheKind} cache; evicted {BytesFreed} bytes")]
    public static partial void DiskFull(
        ILogger logger, Exception exception, string fileName, int bookId, PageCacheKind cacheKind, long bytesFreed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cache folder of book {BookId} was removed while writing {FileName}; writing it again")]
    public static partial void FolderRemovedWhileWriting(ILogger logger, Exception exception, int bookId, string fileName);

    [LoggerMessage(Level = LogLevel.Error, Message = "A Changed handler of the {CacheKind} cache failed")]
    public static partial void ChangedHandlerFailed(ILogger logger, Exception exception, PageCacheKind cacheKind);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Extracting page {PageNumber} of book {BookId} from {ArchivePath}")]
    public static partial void ExtractingPage(ILogger logger, int pageNumber, int bookId, string archivePath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Book {BookId} changed since its pages were cached; deleting {FileCount} cached files")]
    public static partial void BookChanged(ILogger logger, int bookId, long fileCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rendering page {PageNumber} of book {BookId} at {Width} px with {Renderer}")]
    public static partial void RenderingPage(ILogger logger, int pageNumber, int bookId, int width, string renderer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the page count of {PdfPath}; the renderer decides whether a page exists")]
    public static partial void PdfPageCountFailed(ILogger logger, Exception exception, string pdfPath);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Page {PageNumber} of book {BookId} vanished before it was opened; filling it again")]
    public static partial void PageVanished(ILogger logger, Exception exception, int pageNumber, int bookId);
}
