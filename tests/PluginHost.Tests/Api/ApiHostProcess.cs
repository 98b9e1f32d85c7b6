using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Api;

/// <summary>
/// The built host run as an operator runs it (<c>pluginhost run</c>) on a simulated cluster, its
/// API on a free port (port 0; the host logs the one it got).
/// </summary>
internal sealed partial class ApiHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly SimulatedClusterConfig _cluster;
    private readonly bool _ownsCluster;

    private ApiHostProcess(Process process, SimulatedClusterConfig cluster, bool ownsCluster)
    {
        _process = process;
        _cluster = cluster;
        _ownsCluster = ownsCluster;
    }

    public KubeApiSimulator.KubeApiSimulator Simulator => _cluster.Simulator;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public HttpClient Http { get; private set; } = new();

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Waits until the host logged <paramref name="text"/> (its log is written asynchronously).</summary>
    public async Task WaitForLogAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!Stderr.Contains(text, StringComparison.Ordinal))
        {
            timeout.IsCancellationRequested.ShouldBeFalse($"the host never logged '{text}':\n{Stderr}");
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Starts the simulator and the host; waits until the API answers with the whole cluster.</summary>
    /// <param name="api">Lines for <c>[api]</c> (port = 0 comes first).</param>
    /// <param name="sections">More config sections.</param>
    public static async Task<ApiHostProcess> StartAsync(int nodes = 20, string api = "", string sections = "", bool waitForGraph = true,
        HttpMessageHandler? handler = null)
    {
        var cluster = await SimulatedClusterConfig.CreateAsync(nodes, "port = 0\n" + api, sections);
        return await StartOnAsync(cluster, nodes, waitForGraph, handler, ownsCluster: true);
    }

    /// <summary>
    /// A host on <paramref name="cluster"/>'s configuration; with <paramref name="ownsCluster"/> false the
    /// cluster outlives it (a second host after a restart uses the same simulator and state folder).
    /// </summary>
    public static async Task<ApiHostProcess> StartOnAsync(SimulatedClusterConfig cluster, int nodes, bool waitForGraph = true,
        HttpMessageHandler? handler = null, bool ownsCluster = false)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = cluster.Folder.Path };
        foreach (var arg in new[] { TestRepository.HostDll, "run", "--config-file", cluster.ConfigFile })
        {
            start.ArgumentList.Add(arg);
        }

        var host = new ApiHostProcess(Process.Start(start)!, cluster, ownsCluster);
        host._process.ErrorDataReceived += (_, e) => host.OnStderr(e.Data);
        host._process.BeginErrorReadLine();
        host._process.OutputDataReceived += (_, _) => { };
        host._process.BeginOutputReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            host.BaseUrl = await host._listening.Task.WaitAsync(timeout.Token);
            host.Http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
            if (waitForGraph)
            {
                await host.WaitForNodesAsync(nodes, timeout.Token);
            }
        }
        catch
        {
            var log = host.Stderr;
            await host.DisposeAsync();
            throw new InvalidOperationException("the host did not come up:\n" + log);
        }

        return host;
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            _listening.TrySetException(new InvalidOperationException("the host exited"));
            return;
        }

        lock (_stderr)
        {
            _stderr.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    /// <summary>Until the API shows this many Kubernetes nodes.</summary>
    public async Task WaitForNodesAsync(int nodes, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await PostAsync("v1/resources/count/", new { all_tenants = true }, cancellationToken: cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                using var counts = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (counts.RootElement.TryGetProperty("kubernetes.node", out var count) && count.GetInt32() == nodes)
                {
                    return;
                }
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>A JSON POST as the vitrage client sends it (noauth headers of an admin unless told otherwise).</summary>
    public Task<HttpResponseMessage> PostAsync(string path, object body, string? roles = "admin", string? project = "admin",
        CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        AddIdentity(request, roles, project);
        return Http.SendAsync(request, cancellationToken);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? roles = "admin", string? project = "admin", string accept = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        AddIdentity(request, roles, project);
        return Http.SendAsync(request);
    }

    private static void AddIdentity(HttpRequestMessage request, string? roles, string? project)
    {
        if (project is not null)
        {
            request.Headers.Add("X-User-Id", "tester");
            request.Headers.Add("X-Project-Id", project);
        }

        if (roles is not null)
        {
            request.Headers.Add("X-Roles", roles);
        }
    }

    /// <summary>SIGHUP, as <c>systemctl reload</c> sends it: the host reads its configuration again.</summary>
    public async Task HangUpAsync()
    {
        using var kill = Process.Start("kill", ["-HUP", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd stops it; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        Http.Dispose();
        if (_ownsCluster)
        {
            await _cluster.DisposeAsync();
        }
    }

    [GeneratedRegex(@"REST API listening on (\S+)")]
    private static partial Regex ListeningLine();
}
