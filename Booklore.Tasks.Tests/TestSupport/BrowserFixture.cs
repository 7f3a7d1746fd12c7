using Microsoft.Playwright;

namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>
/// One headless Debian Chromium for the end-to-end tests, driven by Playwright. Playwright's own
/// browser download is not used: the tests need the <c>chromium</c> package at /usr/bin/chromium.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new FileNotFoundException($"Chromium is missing at {ChromiumPath}; install the Debian package chromium.", ChromiumPath);
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The machine has no network but loopback: background services would only fail.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>
    /// Waits until the page's interactive circuit is connected and has rendered a task card, so that
    /// clicks and keys reach their handlers. <c>window.Blazor</c> is defined as soon as the script
    /// loads, before the circuit is connected, and a click in between does nothing.
    /// </summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.WaitForSelectorAsync("[data-interactive] [data-task]", new() { State = WaitForSelectorState.Attached });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
