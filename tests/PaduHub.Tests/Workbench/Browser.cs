using Microsoft.Playwright;

namespace PaduHub.Tests.Workbench;

/// <summary>
/// Headless Chromium for the workbench tests: Debian's chromium driven by Playwright's own driver, no browser download.
/// tests/run.sh installs chromium when it can; without it a developer's run skips these tests and CI fails them.
/// </summary>
static class Browser
{
    public static string Executable()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("PADU_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" };
        if (candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c)) is { } found)
        {
            return found;
        }
        if (Environment.GetEnvironmentVariable("CI") is "true")
        {
            Assert.Fail("chromium is missing: tests/run.sh installs it (apt-get install chromium), or set PADU_CHROMIUM");
        }
        Assert.Ignore("the workbench tests drive chromium: apt-get install chromium, or set PADU_CHROMIUM");
        return "";
    }

    public static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        var executable = Executable();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync"],
        });
        return (playwright, browser);
    }

    /// <summary>Screenshots go with the test results, and to PADU_SCREENSHOTS when set (how the README's are refreshed).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folders = new[] { Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots"), Environment.GetEnvironmentVariable("PADU_SCREENSHOTS") };
        foreach (var folder in folders.Where(f => !string.IsNullOrEmpty(f)))
        {
            Directory.CreateDirectory(folder!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder!, name + ".png"), FullPage = false });
        }
    }
}
