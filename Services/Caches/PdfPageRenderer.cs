using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Services.Caches;

/// <summary>A PDF renderer program: its name ("mutool" or "pdftoppm") and its full path.</summary>
public sealed record PdfRendererTool(string Name, string ExecutablePath);

/// <summary>
/// Renders one PDF page to a PNG file with MuPDF's <c>mutool draw</c> or Poppler's <c>pdftoppm</c>.
/// "auto" prefers mutool, which rendered 3 to 8 times faster than pdftoppm in docs/benchmarks.md.
/// </summary>
public sealed class PdfPageRenderer(IOptions<CacheOptions> options, TimeProvider timeProvider)
{
    public const int MinWidth = 200;
    public const int MaxWidth = 2400;
    public const int DefaultWidth = 1200;
    private const string Mutool = "mutool";
    private const string Pdftoppm = "pdftoppm";
    private const int MaxErrorLength = 500;

    private PdfRendererTool? _tool;

    /// <summary>Returns the requested width in pixels limited to 200..2400, or 1200 when none is given.</summary>
    public static int ClampWidth(int? width) => Math.Clamp(width ?? DefaultWidth, MinWidth, MaxWidth);

    /// <summary>Returns the renderer to use; a missing one is looked up again on the next call.</summary>
    /// <exception cref="PdfRendererNotFoundException">Neither renderer (or not the configured one) is on PATH.</exception>
    public PdfRendererTool GetTool() =>
        _tool ??= FindTool(options.Value.PdfRenderer, Environment.GetEnvironmentVariable("PATH") ?? "");

    /// <summary>Renders page <paramref name="pageNumber"/> (1-based) at <paramref name="width"/> pixels into a PNG file.</summary>
    /// <exception cref="BookPageException">The renderer failed or timed out.</exception>
    public async Task RenderAsync(
        string pdfPath, int pageNumber, int width, string outputPath, CancellationToken cancellationToken)
    {
        var tool = GetTool();
        var startInfo = new ProcessStartInfo(tool.ExecutablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // pdftoppm appends ".png" to the output name it is given.
        var producedPath = tool.Name == Mutool ? outputPath : outputPath + ".out.png";
        foreach (var argument in BuildArguments(tool.Name, pdfPath, pageNumber, width, outputPath))
        {
            startInfo.ArgumentList.Add(argument);
        }

        var outcome = await RunAsync(startInfo, pdfPath, pageNumber, cancellationToken);
        if (outcome.ExitCode != 0 || !File.Exists(producedPath))
        {
            throw new BookPageException(
                $"{tool.Name} could not render page {pageNumber} of {pdfPath} (exit code {outcome.ExitCode}): {outcome.Error}");
        }

        if (producedPath != outputPath)
        {
            File.Move(producedPath, outputPath, overwrite: true);
        }
    }

    private static string[] BuildArguments(string tool, string pdfPath, int pageNumber, int width, string outputPath)
    {
        var page = pageNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pixels = width.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return tool == Mutool
            ? ["draw", "-q", "-F", "png", "-w", pixels, "-o", outputPath, pdfPath, page]
            : ["-png", "-f", page, "-l", page, "-scale-to-x", pixels, "-scale-to-y", "-1", "-singlefile",
                pdfPath, outputPath + ".out"];
    }

    private async Task<(int ExitCode, string Error)> RunAsync(
        ProcessStartInfo startInfo, string pdfPath, int pageNumber, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.PdfRenderTimeoutSeconds);
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        using var process = Process.Start(startInfo)
            ?? throw new BookPageException($"Could not start {startInfo.FileName}.");

        var standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new BookPageException(
                $"Rendering page {pageNumber} of {pdfPath} timed out after {timeout.TotalSeconds} s.");
        }

        await standardOutput;
        var error = (await standardError).Trim();
        return (process.ExitCode, error.Length > MaxErrorLength ? error[..MaxErrorLength] : error);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }
    }

    /// <summary>Finds the renderer for a PdfRenderer setting in the folders of a PATH value.</summary>
    internal static PdfRendererTool FindTool(string setting, string pathVariable)
    {
        string[] candidates = setting switch
        {
            Mutool => [Mutool],
            Pdftoppm => [Pdftoppm],
            _ => [Mutool, Pdftoppm],
        };

        foreach (var name in candidates)
        {
            if (FindOnPath(name, pathVariable) is { } path)
            {
                return new PdfRendererTool(name, path);
            }
        }

        throw candidates.Length == 2
            ? new PdfRendererNotFoundException()
            : new PdfRendererNotFoundException(
                $"The configured PDF renderer {setting} was not found on PATH: install the Debian package "
                + $"{(setting == Mutool ? "mupdf-tools" : "poppler-utils")} or set Booklore:Caches:PdfRenderer to auto");
    }

    private static string? FindOnPath(string name, string pathVariable)
    {
        var folders = pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var fileName = OperatingSystem.IsWindows() ? name + ".exe" : name;
        return folders.Select(folder => Path.Combine(folder, fileName)).FirstOrDefault(File.Exists);
    }
}
