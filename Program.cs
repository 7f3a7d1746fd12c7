using Booklore.Tasks.Components;
using Booklore.Tasks.Services;
using Booklore.Tasks.Services.Api;
using MudBlazor.Services;

if (args is ["generate-library", ..])
{
    // Writes a generated library for trying the app at scale: dotnet run -- generate-library FOLDER COUNT
    if (args is not [_, var folder, var countText]
        || !int.TryParse(countText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
        || count < 1)
    {
        Console.Error.WriteLine($"Invalid arguments: {string.Join(' ', args)}. Usage: generate-library FOLDER COUNT, where COUNT is a whole number of books of at least 1, such as generate-library /tmp/books 10000.");
        return 2;
    }

    var generated = Booklore.Tasks.Services.Library.LibraryGenerator.Generate(Path.GetFullPath(folder), count);
    Console.WriteLine($"Wrote {generated.Books} books ({generated.Corrupt} corrupt) to {generated.Folder}.");
    return 0;
}

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddBooklore(builder.Configuration);

var app = builder.Build();

try
{
    await app.Services.InitializeBookloreAsync(app.Lifetime.ApplicationStopping);
}
catch (Microsoft.Extensions.Options.OptionsValidationException exception)
{
    // Ends with one log line that names the setting instead of an unhandled exception's stack trace.
    LogInvalidSetting(app.Logger, exception.Message);
    return 1;
}

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseStatusCodePages();
app.UseBadRequestProblems();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapOpenApi("/api/v1/openapi.json");
app.MapBookloreApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program
{
    [LoggerMessage(Level = LogLevel.Critical, Message = "Booklore Tasks did not start because a setting is invalid: {Reason}")]
    private static partial void LogInvalidSetting(ILogger logger, string reason);
}
