using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Tests.TestSupport;

namespace Booklore.Tasks.Tests.Services.Api;

public sealed class TaskEndpointsTests : IDisposable
{
    private readonly AppFactory _factory = new();

    [Fact]
    public async Task GetTasks_ListsEveryTaskWithCacheSizes()
    {
        using var client = _factory.CreateClient();

        using var tasks = JsonDocument.Parse(await client.GetStringAsync("/api/v1/tasks"));

        var keys = tasks.RootElement.EnumerateArray().Select(task => task.GetProperty("key").GetString()).ToList();
        Assert.Equal(["clear-cbx-cache", "clear-pdf-cache", "refresh-metadata", "scan-library"], keys.Order());
        foreach (var task in tasks.RootElement.EnumerateArray())
        {
            var hasCache = task.GetProperty("cache").ValueKind == JsonValueKind.Object;
            Assert.Equal(task.GetProperty("key").GetString()!.StartsWith("clear-", StringComparison.Ordinal), hasCache);
        }
    }

    [Fact]
    public async Task PostRun_TwiceWhileRunning_Returns202Then200WithSameRun()
    {
        LibraryGenerator.Generate(_factory.LibraryFolder, 2000, corruptEvery: 0);
        using var client = _factory.CreateClient();
        await WaitForIdleAsync(client, "scan-library");

        using var first = await client.PostAsJsonAsync("/api/v1/tasks/refresh-metadata/runs", new { replaceMode = "missing" });
        using var second = await client.PostAsJsonAsync("/api/v1/tasks/refresh-metadata/runs", new { replaceMode = "missing" });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var firstRun = await first.Content.ReadFromJsonAsync<JsonElement>();
        if (second.StatusCode == HttpStatusCode.OK)
        {
            var secondRun = await second.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(firstRun.GetProperty("id").GetInt64(), secondRun.GetProperty("id").GetInt64());
            Assert.True(second.Headers.Contains("X-Booklore-Already-Running"));
        }
        else
        {
            // The first run ended between the two requests; then a second run is correct.
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        }

        Assert.Equal("refresh-metadata", firstRun.GetProperty("task").GetString());
        Assert.Equal("api", firstRun.GetProperty("trigger").GetString());
        Assert.Equal("missing", firstRun.GetProperty("options").GetProperty("replaceMode").GetString());
    }

    [Fact]
    public async Task PostRun_FiftyConcurrent_StartsOneRun()
    {
        LibraryGenerator.Generate(_factory.LibraryFolder, 2000, corruptEvery: 0);
        using var client = _factory.CreateClient();
        await WaitForIdleAsync(client, "scan-library");

        // Force rereads all 2000 files, which outlasts the burst of requests by seconds.
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            client.PostAsJsonAsync("/api/v1/tasks/refresh-metadata/runs", new { force = true })));
        var runs = await Task.WhenAll(responses.Select(response => response.Content.ReadFromJsonAsync<JsonElement>()));

        Assert.Single(responses, response => response.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(49, responses.Count(response => response.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(response => response.StatusCode == HttpStatusCode.OK), response =>
            Assert.True(response.Headers.Contains("X-Booklore-Already-Running")));
        var runId = Assert.Single(runs.Select(run => run.GetProperty("id").GetInt64()).Distinct());
        using var history = JsonDocument.Parse(await client.GetStringAsync("/api/v1/runs?task=refresh-metadata"));
        Assert.Equal(runId, Assert.Single(history.RootElement.EnumerateArray()).GetProperty("id").GetInt64());
        foreach (var response in responses)
        {
            response.Dispose();
        }

        using var cancel = await client.PostAsync(new Uri($"/api/v1/runs/{runId}/cancel", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [Theory]
    [InlineData("""{"replaceMode": "some"}""", "replaceMode")]
    [InlineData("""{"dryrun": true}""", "dryrun")]
    [InlineData("""{"bookIds": "1,2"}""", "bookIds")]
    [InlineData("""{"clearEmpty": true}""", "clearEmpty")]
    [InlineData("""[1]""", "options")]
    public async Task PostRun_InvalidOptions_Returns400NamingField(string body, string field)
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostAsync(
            "/api/v1/tasks/refresh-metadata/runs",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scan-library", """{"libraryId": 999}""")]
    [InlineData("refresh-metadata", """{"replaceMode": "missing", "libraryId": 999}""")]
    public async Task PostRun_UnknownLibrary_Returns400(string task, string body)
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostAsync(
            $"/api/v1/tasks/{task}/runs",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("libraryId", out _), problem.ToString());
        Assert.Contains("999", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var runs = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/runs?task={task}"));
        Assert.DoesNotContain(runs.RootElement.EnumerateArray(), run => run.GetProperty("trigger").GetString() == "api");
    }

    [Theory]
    [InlineData("""{"cron": "0 3 31 2 *"}""", "cron", "'0 3 31 2 *' never occurs")]
    [InlineData("""{"cron": "*/5 * *"}""", "cron", "'*/5 * *' is not a valid 5-field cron expression")]
    [InlineData("""{"cron": "daily", "timeZone": "Mars/Olympus"}""", "timeZone", "'Mars/Olympus' is not a known time zone")]
    public async Task PutSchedule_InvalidValue_Returns400NamingField(string body, string field, string detail)
    {
        using var client = _factory.CreateClient();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PutAsync(new Uri("/api/v1/tasks/scan-library/schedule", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var tasks = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/tasks", UriKind.Relative)));
        var scan = tasks.RootElement.EnumerateArray().Single(task => task.GetProperty("key").GetString() == "scan-library");
        Assert.Equal(JsonValueKind.Null, scan.GetProperty("schedule").ValueKind);
    }

    [Theory]
    [InlineData("PATCH", "/api/v1/books/1", "nope", "body")]
    [InlineData("GET", "/api/v1/books/1/pages/1?width=abc", null, "width")]
    [InlineData("PUT", "/api/v1/tasks/scan-library/schedule", "{\"cron\": 5}", "The value at $.cron does not have the expected type.")]
    [InlineData("PUT", "/api/v1/tasks/scan-library/schedule", "{\"cron\": \"daily\",", "The body is not valid JSON at line 1, byte 17.")]
    [InlineData("PUT", "/api/v1/tasks/scan-library/schedule", "{\"cron\": \"daily\", \"enabled\": \"yes\"}", "The value at $.enabled does not have the expected type.")]
    public async Task BadlyFormedRequest_Returns400NamingParameter(string method, string url, string? body, string parameter)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Invalid request", problem.GetProperty("title").GetString());
        Assert.Contains(parameter, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(problem.TryGetProperty("exception", out _), problem.ToString());
    }

    [Fact]
    public async Task PostRun_UnknownTask_Returns404Problem()
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/v1/tasks/defrag/runs", new { });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("defrag", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRun_FinishedScan_HasIssuesAndCounters()
    {
        await File.WriteAllTextAsync(Path.Combine(_factory.LibraryFolder, "garbage.pdf"), "not a pdf");
        using var client = _factory.CreateClient();
        var runId = await WaitForIdleAsync(client, "scan-library");

        using var run = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/runs/{runId}"));

        Assert.Equal("warning", run.RootElement.GetProperty("state").GetString());
        Assert.Equal(1, run.RootElement.GetProperty("counters").GetProperty("failed").GetInt64());
        var issue = Assert.Single(run.RootElement.GetProperty("issues").EnumerateArray());
        Assert.EndsWith("garbage.pdf", issue.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal("warning", issue.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task GetRun_Unknown_Returns404()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync("/api/v1/runs/999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_DatabaseAndFolderFine_ReturnsHealthy()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostLibrary_RelativeFolder_Returns400NamingFolders()
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/v1/libraries", new { name = "Comics", folders = new[] { "comics" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("folders", out _), problem.ToString());
    }

    [Fact]
    public async Task PostLibrary_FolderNotFound_Returns400NamingIt()
    {
        using var client = _factory.CreateClient();
        var folder = Path.Combine(_factory.Root, "no-such-folder");

        using var response = await client.PostAsJsonAsync("/api/v1/libraries", new { name = "Typo", folders = new[] { folder } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("folders")[0].GetString();
        Assert.Equal($"The folder '{folder}' was not found on the server; fix the path, or create or mount the folder first.", message);
        using var list = await client.GetAsync("/api/v1/libraries");
        Assert.DoesNotContain("Typo", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostLibrary_EmptyName_Returns400WithFix()
    {
        using var client = _factory.CreateClient();
        var folder = Directory.CreateDirectory(Path.Combine(_factory.Root, "unnamed")).FullName;

        using var response = await client.PostAsJsonAsync("/api/v1/libraries", new { name = "", folders = new[] { folder } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("name")[0].GetString();
        Assert.Equal("'name' is required and must be at most 200 characters.", message);
    }

    [Fact]
    public async Task PostLibrary_FolderInUse_Returns400NamingFolders()
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/v1/libraries", new { name = "Second", folders = new[] { _factory.LibraryFolder } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("folders", out var folders), errors.ToString());
        Assert.Contains(_factory.LibraryFolder, folders[0].GetString(), StringComparison.Ordinal);
        Assert.False(errors.TryGetProperty("name", out _), errors.ToString());
    }

    [Fact]
    public async Task PostLibrary_NameTakenWithSpaces_Returns400()
    {
        using var client = _factory.CreateClient();
        var folder = Directory.CreateDirectory(Path.Combine(_factory.Root, "padded")).FullName;

        using var response = await client.PostAsJsonAsync("/api/v1/libraries", new { name = " Test library ", folders = new[] { folder } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out var name), errors.ToString());
        Assert.Contains("'Test library' already exists", name[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_RunStarted_StreamsItsState()
    {
        using var client = _factory.CreateClient();
        await WaitForIdleAsync(client, "scan-library");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal("event: snapshot", await reader.ReadLineAsync(timeout.Token));

        using var started = await client.PostAsJsonAsync("/api/v1/tasks/scan-library/runs", new { });
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var states = new List<string>();
        while (!states.Contains("success") && !states.Contains("warning"))
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line is not null && line.StartsWith("data: {", StringComparison.Ordinal))
            {
                using var data = JsonDocument.Parse(line["data: ".Length..]);
                if (data.RootElement.GetProperty("id").GetInt64() == runId)
                {
                    states.Add(data.RootElement.GetProperty("state").GetString()!);
                }
            }
        }

        Assert.Contains("running", states);
    }

    public void Dispose() => _factory.Dispose();

    /// <summary>Waits until the task has no active run and returns the id of its last run.</summary>
    private static async Task<long> WaitForIdleAsync(HttpClient client, string taskKey)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var tasks = JsonDocument.Parse(await client.GetStringAsync("/api/v1/tasks"));
            var task = tasks.RootElement.EnumerateArray().Single(item => item.GetProperty("key").GetString() == taskKey);
            if (task.GetProperty("currentRun").ValueKind == JsonValueKind.Null
                && task.GetProperty("lastRun").ValueKind == JsonValueKind.Object)
            {
                return task.GetProperty("lastRun").GetProperty("id").GetInt64();
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{taskKey} did not finish a run within 60 seconds.");
    }
}
