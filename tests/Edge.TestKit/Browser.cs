using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Edge.TestKit;

/// <summary>
/// Debian's headless Chromium driven through Debian's chromedriver (Selenium.WebDriver), both installed with apt-get
/// when missing, as the other test kits install Mosquitto: no browser download of Selenium's own (Selenium Manager),
/// which these machines cannot reach. Screenshots go to TestResults/screenshots beside the test binaries.
/// </summary>
public sealed class Browser : IDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string DriverPath = "/usr/bin/chromedriver";

    public Browser(int width = 1280, int height = 1400)
    {
        EnsureInstalled();
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        // --no-sandbox: the tests run as root (CI), where Chromium's sandbox refuses to start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--window-size={width},{height}");
        options.SetLoggingPreference(LogType.Browser, OpenQA.Selenium.LogLevel.All);
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    /// <summary>Where screenshots are saved (a test artifact).</summary>
    public static string ArtifactDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;

    public object? Js(string script, params object[] args) => Driver.ExecuteScript(script, args);

    /// <summary>Polls <paramref name="condition"/> until it holds; on timeout fails with a screenshot and the browser's console.</summary>
    public void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        try
        {
            var wait = new WebDriverWait(Driver, timeout) { PollingInterval = TimeSpan.FromMilliseconds(100) };
            // The page re-renders its tables as status arrives: an element found a moment ago may be gone; look again.
            wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
            wait.Until(_ => condition());
        }
        catch (WebDriverTimeoutException)
        {
            string shot = Screenshot("timeout-" + new string(what.Where(char.IsLetterOrDigit).Take(40).ToArray()));
            throw new TimeoutException($"{what} did not happen within {timeout}; screenshot {shot}; console:\n{Console()}");
        }
    }

    public string Screenshot(string name)
    {
        string path = Path.Combine(ArtifactDirectory, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public string Console() => string.Join('\n', Driver.Manage().Logs.GetLog(LogType.Browser).Select(e => $"{e.Level}: {e.Message}"));

    public static void EnsureInstalled() => Tool.RequireFiles([ChromiumPath, DriverPath], "chromium", "chromium-driver");

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
