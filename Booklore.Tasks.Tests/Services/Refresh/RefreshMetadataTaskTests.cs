using System.Diagnostics;
using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Booklore.Tasks.Tests.Services.Refresh;

public sealed class RefreshMetadataTaskTests
{
    private const string EditedTitle = "My Own Title";

    [Fact]
    public async Task Refresh_ReplaceMissingOnly_KeepsEditedTitle()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        var fileTitle = (await bed.GetBookAsync(path)).Title;
        await bed.UpdateBookAsync(path, book => book.Title = EditedTitle);

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.Missing });

        Assert.Equal(RunState.Success, run.State);
        Assert.Equal(EditedTitle, (await bed.GetBookAsync(path)).Title);
        Assert.NotEqual(EditedTitle, fileTitle);
    }

    [Fact]
    public async Task Refresh_ReplaceAll_OverwritesUnlockedTitleAndLogsChange()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        var fileTitle = (await bed.GetBookAsync(path)).Title;
        await bed.UpdateBookAsync(path, book => book.Title = EditedTitle);

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All });

        Assert.Equal(RunState.Success, run.State);
        Assert.Equal(fileTitle, (await bed.GetBookAsync(path)).Title);
        Assert.Equal(1, run.Counters.Changed);
        var change = Assert.Single(await bed.Engine.Registry.GetChangesAsync(run.Id, 10, CancellationToken.None));
        Assert.Equal(MetadataField.Title, change.Field);
        Assert.Equal(EditedTitle, change.OldValue);
        Assert.Equal(fileTitle, change.NewValue);
    }

    [Theory]
    [InlineData(ReplaceMode.Missing)]
    [InlineData(ReplaceMode.All)]
    public async Task Refresh_LockedTitle_SurvivesEveryMode(ReplaceMode mode)
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        await bed.UpdateBookAsync(path, book =>
        {
            book.Title = EditedTitle;
            book.SetLockedFields([MetadataField.Title]);
        });

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = mode });

        Assert.Equal(EditedTitle, (await bed.GetBookAsync(path)).Title);
        Assert.Equal(mode == ReplaceMode.All ? 1 : 0, run.Counters.SkippedLocked);
    }

    [Fact]
    public async Task Refresh_ReplaceMissingOnly_FillsBlankTitle()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        var fileTitle = (await bed.GetBookAsync(path)).Title;
        await bed.UpdateBookAsync(path, book => book.Title = "   ");

        await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions());

        Assert.Equal(fileTitle, (await bed.GetBookAsync(path)).Title);
    }

    [Fact]
    public async Task Refresh_FileBecameCorrupt_WarnsAndLeavesBookUnchanged()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        var before = await bed.GetBookAsync(path);
        await File.WriteAllBytesAsync(path, [0x50, 0x4B, 0x03, 0x04, 0x00, 0x01]);

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All, ClearEmpty = true });

        Assert.Equal(RunState.Warning, run.State);
        Assert.Equal(1, run.Counters.Failed);
        var after = await bed.GetBookAsync(path);
        Assert.Equal(before.Title, after.Title);
        Assert.Equal(before.AuthorsJson, after.AuthorsJson);
        Assert.Equal(before.Isbn13, after.Isbn13);
        var issue = Assert.Single(await bed.Engine.Registry.GetIssuesAsync(run.Id, 10, CancellationToken.None));
        Assert.Equal(path, issue.Path);
        Assert.Equal(before.Id, issue.BookId);
    }

    /// <summary>
    /// The unreadable-file column of the merge table in MetadataMergerTests: in every mode, locked
    /// or not, with a database value or without, a file that became corrupt after the scan changes
    /// nothing of its book and becomes a warning with its path.
    /// </summary>
    [Theory]
    [InlineData(ReplaceMode.Missing, false)]
    [InlineData(ReplaceMode.All, false)]
    [InlineData(ReplaceMode.All, true)]
    public async Task Refresh_UnreadableFiles_ChangeNothingInAnyMode(ReplaceMode mode, bool clearEmpty)
    {
        await using var bed = await TaskTestBed.CreateAsync();
        LibraryGenerator.Generate(bed.LibraryFolder, 4, corruptEvery: 0);
        Assert.Equal(4, (await bed.RunAsync(TaskKeys.ScanLibrary)).Counters.Processed);
        await using (var context = bed.Database.CreateDbContext())
        {
            var rows = await context.Books.OrderBy(book => book.Id).ToListAsync();
            for (var i = 0; i < rows.Count; i++)
            {
                var locked = i % 2 == 1;
                var databaseHasValue = i < 2;
                rows[i].Title = databaseHasValue ? "Database title" : null;
                rows[i].SubjectsJson = databaseHasValue ? "[\"Poetry\"]" : "[]";
                rows[i].AuthorsJson = databaseHasValue ? "[{\"name\":\"Ada Okafor\",\"role\":\"author\"}]" : "[]";
                rows[i].SetLockedFields(locked ? [MetadataField.Title, MetadataField.Subjects, MetadataField.Authors] : []);
            }

            await context.SaveChangesAsync();
        }

        var before = await LoadBooksAsync(bed);
        foreach (var book in before)
        {
            var bytes = await File.ReadAllBytesAsync(book.Path);
            await File.WriteAllBytesAsync(book.Path, bytes[..Math.Min(600, bytes.Length / 2)]);
        }

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = mode, ClearEmpty = clearEmpty });

        Assert.Equal(RunState.Warning, run.State);
        Assert.Equal(4, run.Counters.Processed);
        Assert.Equal(4, run.Counters.Failed);
        Assert.Equal(0, run.Counters.Changed);
        Assert.Empty(await bed.Engine.Registry.GetChangesAsync(run.Id, 10, CancellationToken.None));
        var after = await LoadBooksAsync(bed);
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i].Title, after[i].Title);
            Assert.Equal(before[i].SubjectsJson, after[i].SubjectsJson);
            Assert.Equal(before[i].AuthorsJson, after[i].AuthorsJson);
            Assert.Equal(before[i].LockedFields, after[i].LockedFields);
            Assert.Equal(before[i].FieldSourcesJson, after[i].FieldSourcesJson);
            Assert.Equal(before[i].FileMetadataJson, after[i].FileMetadataJson);
        }

        var issues = await bed.Engine.Registry.GetIssuesAsync(run.Id, 10, CancellationToken.None);
        Assert.Equal(before.Select(book => book.Path).Order(), issues.Select(issue => issue.Path).Order());
        Assert.All(issues, issue => Assert.StartsWith("The file could not be read, so the book was left unchanged: ", issue.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_SelectedBooksUnknown_WarnsWithTheirIds()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        var bookId = (await bed.GetBookAsync(path)).Id;

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { BookIds = [bookId, 9001, 9002] });

        Assert.Equal(RunState.Warning, run.State);
        Assert.Equal(1, run.Counters.Processed);
        var issue = Assert.Single(await bed.Engine.Registry.GetIssuesAsync(run.Id, 10, CancellationToken.None));
        Assert.Contains("2 selected books were not refreshed", issue.Message, StringComparison.Ordinal);
        Assert.Contains("ids 9001, 9002", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_OneSelectedBookUnknown_WarnsInSingular()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        var bookId = (await bed.GetBookAsync(path)).Id;

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { BookIds = [bookId, 9001] });

        var issue = Assert.Single(await bed.Engine.Registry.GetIssuesAsync(run.Id, 10, CancellationToken.None));
        Assert.StartsWith("1 selected book was not refreshed: it does not exist, is missing from disk, or is outside the chosen library", issue.Message, StringComparison.Ordinal);
        Assert.EndsWith("(id 9001).", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_DryRun_RecordsChangesWithoutWriting()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        await bed.UpdateBookAsync(path, book => book.Title = EditedTitle);

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All, DryRun = true });

        Assert.Equal(EditedTitle, (await bed.GetBookAsync(path)).Title);
        Assert.Single(await bed.Engine.Registry.GetChangesAsync(run.Id, 10, CancellationToken.None));
        Assert.StartsWith("Preview: would change 1 of 1 book", run.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_DryRunOfChangedFiles_WritesNoBookColumn()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        LibraryGenerator.Generate(bed.LibraryFolder, 3, corruptEvery: 0);
        await bed.RunAsync(TaskKeys.ScanLibrary);
        await using (var context = bed.Database.CreateDbContext())
        {
            await context.Books.ExecuteUpdateAsync(setters => setters.SetProperty(book => book.Title, "Edited").SetProperty(book => book.Publisher, (string?)null));
        }

        // A new modification time makes every file count as changed, so the preview rereads them all.
        foreach (var book in await LoadBooksAsync(bed))
        {
            File.SetLastWriteTimeUtc(book.Path, DateTime.UtcNow.AddMinutes(-5));
        }

        var before = JsonSerializer.Serialize(await LoadBooksAsync(bed));

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All, ClearEmpty = true, DryRun = true });

        Assert.Equal(RunState.Success, run.State);
        Assert.Equal(3, run.Counters.Changed);
        Assert.Contains("0 unchanged files not reread", run.Summary, StringComparison.Ordinal);
        Assert.Equal(before, JsonSerializer.Serialize(await LoadBooksAsync(bed)));
        Assert.False(Directory.Exists(bed.Options.BackupsPath) && Directory.EnumerateFiles(bed.Options.BackupsPath).Any());
        await Assert.ThrowsAsync<RunNotUndoableException>(() => CreateUndoService(bed).UndoAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Undo_AfterFileRemoved_RestoresValues()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        await bed.UpdateBookAsync(path, book => book.Title = "Old title");
        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All });
        File.Delete(path);
        var scan = await bed.RunAsync(TaskKeys.ScanLibrary);
        Assert.True((await bed.GetBookAsync(path)).IsMissing);

        var result = await CreateUndoService(bed).UndoAsync(run.Id, CancellationToken.None);

        Assert.Equal(RunState.Success, scan.State);
        Assert.Equal(1, result.Restored);
        Assert.Empty(result.LeftAlone);
        Assert.Equal("Old title", (await bed.GetBookAsync(path)).Title);
    }

    [Fact]
    public async Task Refresh_ReplaceAll_WritesSnapshotThatOpens()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        await AddGeneratedBookAsync(bed);

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All });

        var snapshot = Assert.Single(Directory.GetFiles(bed.Options.BackupsPath, $"*run{run.Id}.db"));
        Assert.EndsWith($"The database was saved before any change to {snapshot}.", run.Summary, StringComparison.Ordinal);
        var start = new ProcessStartInfo("sqlite3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-readonly");
        start.ArgumentList.Add(snapshot);
        start.ArgumentList.Add("PRAGMA integrity_check; SELECT count(*) FROM books;");
        using var sqlite = Process.Start(start)!;
        var output = await sqlite.StandardOutput.ReadToEndAsync();
        await sqlite.WaitForExitAsync();
        Assert.Equal(0, sqlite.ExitCode);
        Assert.Equal(["ok", "1"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task SnapshotAsync_PastKeepLimit_DeletesOldestSnapshots()
    {
        using var database = await TestDatabase.CreateAsync();
        var options = new Booklore.Tasks.Services.BookloreOptions { DataPath = Path.Combine(database.Folder, "data"), BackupsToKeep = 2 };
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var backup = new DatabaseBackup(database, Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<DatabaseBackup>.Instance);

        var paths = new List<string>();
        for (var run = 1; run <= 4; run++)
        {
            paths.Add(await backup.SnapshotAsync($"run{run}", CancellationToken.None));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var left = Directory.GetFiles(options.BackupsPath).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(paths[2..], left);
    }

    [Fact]
    public async Task Cancel_RefreshOfThousandsOfBooks_StopsWithinOneSecond()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        LibraryGenerator.Generate(bed.LibraryFolder, 3000, corruptEvery: 0);
        var scan = await bed.RunAsync(TaskKeys.ScanLibrary);
        Assert.Equal(3000, scan.Counters.Processed);
        await using (var context = bed.Database.CreateDbContext())
        {
            // Without the marks the scan gave them, the books are merged instead of passed by.
            await context.Books.ExecuteUpdateAsync(setters => setters.SetProperty(book => book.RefreshSettledModes, 0));
        }

        // Cancel from the first progress event, as a person watching the page would.
        var clock = new Stopwatch();
        var cancelRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bed.Engine.Registry.RunChanged += run =>
        {
            if (run.Task == TaskKeys.RefreshMetadata && run.Progress.Done > 0 && !clock.IsRunning)
            {
                clock.Start();
                _ = bed.Engine.Registry.CancelAsync(run.Id, CancellationToken.None)
                    .ContinueWith(_ => cancelRequested.TrySetResult(), TaskScheduler.Default);
            }
        };
        var started = await bed.Engine.Registry.StartAsync(TaskKeys.RefreshMetadata, null, RunTriggers.User, CancellationToken.None);
        await cancelRequested.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var run = await bed.Engine.WaitForEndAsync(started.Run.Id);
        clock.Stop();

        Assert.Equal(RunState.Cancelled, run.State);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Cancelling took {clock.Elapsed.TotalMilliseconds:0} ms.");
        Assert.InRange(run.Counters.Processed, 1, 2999);
        Assert.Equal(run.Counters.Processed, run.Progress.Done);
        Assert.Contains($"Cancelled after {run.Progress.Done:N0} of 3,000 items.", run.Summary, StringComparison.Ordinal);
        var outcome = $"Of those, {run.Counters.Changed:N0} were changed, {run.Counters.Unchanged:N0} were unchanged and {run.Counters.Failed:N0} failed.";
        Assert.Contains(outcome, run.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Processed", run.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undo_AfterLaterManualEdit_RestoresOthersAndKeepsEdit()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        await bed.UpdateBookAsync(path, book =>
        {
            book.Title = "Old title";
            book.SetFieldSource(MetadataField.Title, FieldSources.Manual);
            book.Publisher = "Old publisher";
            book.Language = "de";
        });
        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All });
        var refreshed = await bed.GetBookAsync(path);
        await bed.UpdateBookAsync(path, book => book.Publisher = "Edited after the run");
        var undo = new RunUndoService(bed.Database, bed.Engine.Registry, TimeProvider.System, NullLogger<RunUndoService>.Instance);

        var result = await undo.UndoAsync(run.Id, CancellationToken.None);

        var book = await bed.GetBookAsync(path);
        Assert.NotEqual("Old title", refreshed.Title);
        Assert.Equal("Old title", book.Title);
        Assert.Equal(FieldSources.File, refreshed.GetFieldSources()[MetadataField.Title]);
        Assert.Equal(FieldSources.Manual, book.GetFieldSources()[MetadataField.Title]);
        Assert.Equal("de", book.Language);
        Assert.Equal("Edited after the run", book.Publisher);
        Assert.Equal(3, result.Restored + result.LeftAlone.Count);
        var skip = Assert.Single(result.LeftAlone);
        Assert.Equal(MetadataField.Publisher, skip.Field);
        await Assert.ThrowsAsync<RunNotUndoableException>(() => undo.UndoAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Undo_LockedAfterRun_NamesOldValue()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        await bed.UpdateBookAsync(path, book => book.Publisher = "Old publisher");
        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All });
        var refreshed = await bed.GetBookAsync(path);
        await bed.UpdateBookAsync(path, book => book.SetLockedFields([MetadataField.Publisher]));

        var result = await CreateUndoService(bed).UndoAsync(run.Id, CancellationToken.None);

        var skip = Assert.Single(result.LeftAlone);
        Assert.Equal(MetadataField.Publisher, skip.Field);
        Assert.Equal("The field was locked after the run, so it was kept; to restore it, edit it on the book's page (it was \"Old publisher\").", skip.Reason);
        Assert.Equal(refreshed.Publisher, (await bed.GetBookAsync(path)).Publisher);
    }

    [Fact]
    public async Task Undo_FilledEmptyField_RemovesItsSource()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        await bed.UpdateBookAsync(path, book =>
        {
            book.Publisher = null;
            book.SetFieldSource(MetadataField.Publisher, null);
        });
        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.Missing });
        var refreshed = await bed.GetBookAsync(path);
        var undo = new RunUndoService(bed.Database, bed.Engine.Registry, TimeProvider.System, NullLogger<RunUndoService>.Instance);

        var result = await undo.UndoAsync(run.Id, CancellationToken.None);

        Assert.Equal(1, result.Restored);
        Assert.NotNull(refreshed.Publisher);
        Assert.Equal(FieldSources.File, refreshed.GetFieldSources()[MetadataField.Publisher]);
        var book = await bed.GetBookAsync(path);
        Assert.Null(book.Publisher);
        Assert.False(book.GetFieldSources().ContainsKey(MetadataField.Publisher));
    }

    [Fact]
    public async Task Refresh_UnchangedFile_ReusesStoredMetadataUnlessForced()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);

        var reused = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions());
        var forced = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { Force = true });

        Assert.Contains("1 unchanged file not reread", reused.Summary, StringComparison.Ordinal);
        Assert.Contains("0 unchanged files not reread", forced.Summary, StringComparison.Ordinal);
        Assert.NotNull((await bed.GetBookAsync(path)).FileMetadataJson);
    }

    [Fact]
    public async Task Refresh_ManualEditWhileReading_KeepsTheEdit()
    {
        // The edit lands after the refresh loaded the batch and before it writes it.
        Func<Task>? editWhileReading = null;
        var reader = new HookedReader(new BookFileReader(), _ =>
        {
            var edit = Interlocked.Exchange(ref editWhileReading, null);
            edit?.Invoke().GetAwaiter().GetResult();
        });
        await using var bed = await TaskTestBed.CreateAsync(reader);
        var path = await AddGeneratedBookAsync(bed);
        await bed.UpdateBookAsync(path, book => book.Title = "Old title");
        var bookId = (await bed.GetBookAsync(path)).Id;
        var books = CreateBookService(bed);
        editWhileReading = async () =>
        {
            var result = await books.UpdateAsync(bookId, new BookEdit { Title = EditedTitle }, CancellationToken.None);
            Assert.Equal(BookEditStatus.Updated, result.Status);
        };

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All, Force = true });

        Assert.Null(editWhileReading);
        Assert.Equal(RunState.Success, run.State);
        var book = await bed.GetBookAsync(path);
        Assert.Equal(EditedTitle, book.Title);
        Assert.Contains(MetadataField.Title, book.GetLockedFields());
        Assert.Equal(FieldSources.Manual, book.GetFieldSources()[MetadataField.Title]);
        Assert.Equal(1, run.Counters.SkippedLocked);
        Assert.Equal(0, run.Counters.Changed);
        Assert.Empty(await bed.Engine.Registry.GetChangesAsync(run.Id, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Undo_WhileAnotherRefreshWrites_KeepsBothRuns()
    {
        // Run 1 replaces the publisher. Run 2 fills the blank title, and run 1 is undone while run 2 reads the file.
        Func<Task>? undoWhileReading = null;
        var reader = new HookedReader(new BookFileReader(), _ =>
        {
            var undo = Interlocked.Exchange(ref undoWhileReading, null);
            undo?.Invoke().GetAwaiter().GetResult();
        });
        await using var bed = await TaskTestBed.CreateAsync(reader);
        var path = await AddGeneratedBookAsync(bed);
        var fileBook = await bed.GetBookAsync(path);
        await bed.UpdateBookAsync(path, book =>
        {
            book.Publisher = "Old publisher";
            book.SetFieldSource(MetadataField.Publisher, FieldSources.Manual);
        });
        var first = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All });
        Assert.Equal(1, first.Counters.Changed);
        await bed.UpdateBookAsync(path, book =>
        {
            book.Title = " ";
            book.SetFieldSource(MetadataField.Title, FieldSources.Manual);
        });
        var undoService = new RunUndoService(bed.Database, bed.Engine.Registry, TimeProvider.System, NullLogger<RunUndoService>.Instance);
        UndoResult? undone = null;
        undoWhileReading = async () => undone = await undoService.UndoAsync(first.Id, CancellationToken.None);

        var second = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.Missing, Force = true });

        Assert.NotNull(undone);
        Assert.Equal(1, undone.Restored);
        var book = await bed.GetBookAsync(path);
        Assert.Equal("Old publisher", book.Publisher);
        Assert.Equal(fileBook.Title, book.Title);
        Assert.Equal(FieldSources.File, book.GetFieldSources()[MetadataField.Title]);
        Assert.Equal(FieldSources.Manual, book.GetFieldSources()[MetadataField.Publisher]);
        var change = Assert.Single(await bed.Engine.Registry.GetChangesAsync(second.Id, 10, CancellationToken.None));
        Assert.Equal(MetadataField.Title, change.Field);
    }

    [Fact]
    public async Task Refresh_ClearingTitle_FallsBackToFileName()
    {
        // A comic with pages and no ComicInfo.xml reads fine and has no title.
        await using var bed = await TaskTestBed.CreateAsync();
        var path = Path.Combine(bed.LibraryFolder, "Untitled Comic.cbz");
        using (var archive = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            await using var page = await archive.CreateEntry("001.png").OpenAsync();
            await page.WriteAsync(Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="));
        }

        await bed.RunAsync(TaskKeys.ScanLibrary);
        await bed.UpdateBookAsync(path, book =>
        {
            book.Title = EditedTitle;
            book.SetFieldSource(MetadataField.Title, FieldSources.Manual);
        });

        var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All, ClearEmpty = true });

        Assert.Equal(RunState.Success, run.State);
        var book = await bed.GetBookAsync(path);
        Assert.Equal("Untitled Comic", book.Title);
        Assert.Equal(FieldSources.FileName, book.GetFieldSources()[MetadataField.Title]);
        var change = Assert.Single(await bed.Engine.Registry.GetChangesAsync(run.Id, 10, CancellationToken.None));
        Assert.Equal(EditedTitle, change.OldValue);
        Assert.Equal("Untitled Comic", change.NewValue);

        var again = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = ReplaceMode.All, ClearEmpty = true, Force = true });
        Assert.Equal(0, again.Counters.Changed);

        var undone = await CreateUndoService(bed).UndoAsync(run.Id, CancellationToken.None);
        Assert.Equal(1, undone.Restored);
        book = await bed.GetBookAsync(path);
        Assert.Equal(EditedTitle, book.Title);
        Assert.Equal(FieldSources.Manual, book.GetFieldSources()[MetadataField.Title]);
    }

    [Fact]
    public async Task Refresh_ReplacedFile_UpdatesSizeAndFingerprint()
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = await AddGeneratedBookAsync(bed);
        var before = await bed.GetBookAsync(path);
        var other = Directory.CreateTempSubdirectory("booklore-other-");
        try
        {
            LibraryGenerator.Generate(other.FullName, 5, seed: 7, corruptEvery: 0);
            var replacement = Directory.GetFiles(other.FullName, "*.epub", SearchOption.AllDirectories)
                .First(file => new FileInfo(file).Length != before.SizeBytes);
            File.Copy(replacement, path, overwrite: true);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));

            var preview = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { DryRun = true });
            Assert.Equal(RunState.Success, preview.State);
            Assert.Equal(before.SizeBytes, (await bed.GetBookAsync(path)).SizeBytes);

            var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions());

            Assert.Equal(RunState.Success, run.State);
            var book = await bed.GetBookAsync(path);
            Assert.Equal(new FileInfo(path).Length, book.SizeBytes);
            Assert.Equal(new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero), book.FileModifiedAt);
            Assert.Equal(await BookFiles.FingerprintAsync(path, CancellationToken.None), book.Fingerprint);

            // The scan then finds the file as the refresh left it, and still recognises it after a move.
            var moved = Path.Combine(bed.LibraryFolder, "moved.epub");
            File.Move(path, moved);
            var scan = await bed.RunAsync(TaskKeys.ScanLibrary);
            Assert.Contains("1 moved", scan.Summary, StringComparison.Ordinal);
            Assert.Equal(book.Id, (await bed.GetBookAsync(moved)).Id);
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }

    private static RunUndoService CreateUndoService(TaskTestBed bed) =>
        new(bed.Database, bed.Engine.Registry, TimeProvider.System, NullLogger<RunUndoService>.Instance);

    private static BookService CreateBookService(TaskTestBed bed) => new(
        bed.Database,
        new BookEditValidator(),
        new StaticOptionsMonitor<BookEditOptions>(new BookEditOptions()),
        NullLogger<BookService>.Instance);

    private static async Task<List<Book>> LoadBooksAsync(TaskTestBed bed)
    {
        await using var context = bed.Database.CreateDbContext();
        return await context.Books.AsNoTracking().OrderBy(book => book.Id).ToListAsync();
    }

    [Theory]
    [InlineData(ReplaceMode.Missing)]
    [InlineData(ReplaceMode.All)]
    public async Task Refresh_TitleFromFileName_TakesTitleOfRepairedFile(ReplaceMode mode)
    {
        await using var bed = await TaskTestBed.CreateAsync();
        var path = Path.Combine(bed.LibraryFolder, "Broken Book.epub");
        await File.WriteAllTextAsync(path, "not a zip");
        await bed.RunAsync(TaskKeys.ScanLibrary);
        var scanned = await bed.GetBookAsync(path);
        Assert.Equal("Broken Book", scanned.Title);
        Assert.Equal(FieldSources.FileName, scanned.GetFieldSources()[MetadataField.Title]);
        var repaired = Directory.CreateTempSubdirectory("booklore-repaired-");
        try
        {
            LibraryGenerator.Generate(repaired.FullName, 1, corruptEvery: 0);
            var epub = Directory.GetFiles(repaired.FullName, "*.epub", SearchOption.AllDirectories).Single();
            File.Copy(epub, path, overwrite: true);
            var fileTitle = new BookFileReader().Read(path, CancellationToken.None).Metadata!.Title;

            var run = await bed.RunAsync(TaskKeys.RefreshMetadata, new RefreshOptions { ReplaceMode = mode, ClearEmpty = mode == ReplaceMode.All });

            Assert.Equal(RunState.Success, run.State);
            var book = await bed.GetBookAsync(path);
            Assert.NotNull(fileTitle);
            Assert.Equal(fileTitle, book.Title);
            Assert.Equal(FieldSources.File, book.GetFieldSources()[MetadataField.Title]);
        }
        finally
        {
            repaired.Delete(recursive: true);
        }
    }

    private static async Task<string> AddGeneratedBookAsync(TaskTestBed bed)
    {
        LibraryGenerator.Generate(bed.LibraryFolder, 1, corruptEvery: 0);
        var scan = await bed.RunAsync(TaskKeys.ScanLibrary);
        Assert.Equal(RunState.Success, scan.State);
        await using var context = bed.Database.CreateDbContext();
        return await context.Books.Select(book => book.Path).SingleAsync();
    }
}
