using MudBlazor;

namespace Booklore.Tasks.Components.Layout;

/// <summary>
/// MudBlazor's default theme with the colours changed that fail the WCAG AA contrast ratio of 4.5:1
/// for normal text (ratios measured in Chromium against MudBlazor 9.14's default palettes).
/// </summary>
internal static class AppTheme
{
    // Near-black text on the orange, green and blue fills: white on them measures 2.2, 2.2 and 3.1.
    private const string DarkContrastText = "rgba(0,0,0,0.87)";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            WarningContrastText = DarkContrastText,
            SuccessContrastText = DarkContrastText,
            InfoContrastText = DarkContrastText,
        },
        PaletteDark = new PaletteDark
        {
            // As link and navigation text on the dark surface, the default dark primary (#776be7)
            // measures 2.8 and this lighter one 5.0. Buttons filled with it take dark text.
            Primary = "#a79ff2",
            PrimaryContrastText = DarkContrastText,
            WarningContrastText = DarkContrastText,
            SuccessContrastText = DarkContrastText,
            InfoContrastText = DarkContrastText,

            // Labels such as Started or Total time measure 4.2 with the default 50 % white.
            TextSecondary = "rgba(255,255,255,0.60)",
        },
    };
}
