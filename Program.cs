using Booklore.Tasks.Components;
using Booklore.Tasks.Services;
using Booklore.Tasks.Services.Api;
using MudBlazor.Services;

if (args is ["generate-library", var folder, var countText, ..])
{
    // Writes a generated library for trying the app at scale: dotnet run -- generate-library FOLDER COUNT
    var generated = Booklore.Tasks.Services.Library.LibraryGenerator.Generate(
        Path.GetFullPath(folder),
        int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture));
    Console.WriteLine($"Wrote {generated.Books} books ({generated.Corrupt} corrupt) to {generated.Folder}.");
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddBooklore(builder.Configuration);

var app = builder.Build();

await app.Services.InitializeBookloreAsync(app.Lifetime.ApplicationStopping);

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

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
