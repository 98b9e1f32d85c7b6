using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Remote;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.WebView;

/// <summary>
/// Debian's chromium, headless, driven through Debian's chromedriver, which this class starts
/// itself (port 0) so that it knows every process id to end: chromedriver, and chromium with its
/// helpers below it. scripts/test.sh installs both packages when they are missing.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromedriverPath = "/usr/bin/chromedriver";

    // Without the networking flags chromium waits on connections this machine refuses (updates,
    // sync, QUIC probes); --no-sandbox because tests run as root on CI. (chromium's crashpad
    // handlers detach to init, but end with chromium, even a killed one: nothing to end there.)
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,900",
    ];

    private readonly Process _chromedriver;
    private readonly TempFolder _profile;

    private HeadlessChromium(Process chromedriver, TempFolder profile, RemoteWebDriver driver)
    {
        _chromedriver = chromedriver;
        _profile = profile;
        Driver = driver;
    }

    public RemoteWebDriver Driver { get; }

    public static async Task<HeadlessChromium> StartAsync()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(ChromedriverPath))
        {
            throw new InvalidOperationException($"The web view tests need {ChromiumPath} and {ChromedriverPath}: apt-get install chromium chromium-driver (scripts/test.sh does).");
        }

        var start = new ProcessStartInfo(ChromedriverPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--port=0");
        var chromedriver = Process.Start(start)!;
        var profile = new TempFolder();
        try
        {
            var port = await ReadPortAsync(chromedriver);
            var options = new ChromeOptions { BinaryLocation = ChromiumPath };
            options.AddArguments(Flags);
            options.AddArgument($"--user-data-dir={profile.Path}"); // a fresh profile each time
            var driver = new RemoteWebDriver(new Uri($"http://127.0.0.1:{port}/"), options.ToCapabilities(), TimeSpan.FromSeconds(60));
            driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
            driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
            return new HeadlessChromium(chromedriver, profile, driver);
        }
        catch
        {
            await StopAsync(chromedriver, null);
            profile.Dispose();
            throw;
        }
    }

    /// <summary>Saves what the browser shows as a PNG (a test artifact) and returns its path.</summary>
    public string SaveScreenshot(string name)
    {
        var folder = Path.Combine(TestRepository.Root, "out", "test-results", "web-view");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_chromedriver, Driver);
        _profile.Dispose();
    }

    // chromedriver prints "ChromeDriver was started successfully on port 43069." once it listens.
    private static async Task<int> ReadPortAsync(Process chromedriver)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await chromedriver.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (StartedLine().Match(line) is { Success: true } match)
            {
                _ = chromedriver.StandardOutput.ReadToEndAsync(CancellationToken.None); // keep the pipe drained
                _ = chromedriver.StandardError.ReadToEndAsync(CancellationToken.None);
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("chromedriver exited before it listened: " + await chromedriver.StandardError.ReadToEndAsync(timeout.Token));
    }

    // Quit closes chromium; then chromedriver is ended, and whatever of chromium's processes is
    // still there (a hung renderer, a helper handed to init) is killed by the id seen before.
    private static async Task StopAsync(Process chromedriver, RemoteWebDriver? driver)
    {
        var below = chromedriver.HasExited ? [] : ProcessTree.Descendants(chromedriver.Id);
        if (driver is not null)
        {
            try
            {
                await Task.Run(driver.Quit).WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (Exception e) when (e is WebDriverException or TimeoutException or InvalidOperationException)
            {
                // killed below
            }
        }

        if (!chromedriver.HasExited)
        {
            chromedriver.Kill(entireProcessTree: true);
            await chromedriver.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }

        foreach (var process in below)
        {
            ProcessTree.KillIfStillRunning(process);
        }

        chromedriver.Dispose();
    }

    [GeneratedRegex(@"started successfully on port (\d+)")]
    private static partial Regex StartedLine();
}
