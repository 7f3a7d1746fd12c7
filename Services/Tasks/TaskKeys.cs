namespace Booklore.Tasks.Services.Tasks;

public static class TaskKeys
{
    public const string ClearCbxCache = "clear-cbx-cache";
    public const string ClearPdfCache = "clear-pdf-cache";
    public const string RefreshMetadata = "refresh-metadata";
    public const string ScanLibrary = "scan-library";
}

/// <summary>Who started a run.</summary>
public static class RunTriggers
{
    public const string User = "user";
    public const string Api = "api";
    public const string Schedule = "schedule";
    public const string Startup = "startup";
}
