namespace Booklore.Tasks.Services.Caches;

/// <summary>The two page caches: comic pages extracted from archives and rendered PDF pages.</summary>
public enum PageCacheKind
{
    Cbx,
    Pdf,
}
