using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PluginHost.KubeApiSimulator;

/// <summary>
/// A fake kube-apiserver on loopback: discovery, <c>/version</c>, nodes (list with
/// <c>limit</c>/<c>continue</c>, get, watch), Status errors, HTTP or HTTPS with token or client
/// certificate auth, live node changes and fault injection.
/// </summary>
public sealed class KubeApiSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _nextGeneratedIndex;

    private KubeApiSimulator(SimulatorOptions options, WebApplication app, SimulatorCertificates? certificates, NodeStore nodes)
    {
        Options = options;
        _app = app;
        Certificates = certificates;
        Nodes = nodes;
        _nextGeneratedIndex = options.NodeCount;
        AcceptedToken = options.Token;
        WatchListEnabled = options.WatchList;
        MaxWatchDuration = options.MaxWatchDuration;
    }

    public SimulatorOptions Options { get; }

    /// <summary>
    /// The bearer token accepted with <see cref="SimulatorAuth.Token"/>; starts as
    /// <see cref="SimulatorOptions.Token"/>, and a test changes it to rotate the token.
    /// </summary>
    public string AcceptedToken { get; set; }

    /// <summary>Whether WatchList requests are served (starts as <see cref="SimulatorOptions.WatchList"/>); a test may switch it.</summary>
    public bool WatchListEnabled { get; set; }

    /// <summary>The longest a watch stream lasts (starts as <see cref="SimulatorOptions.MaxWatchDuration"/>); a test may change it.</summary>
    public TimeSpan? MaxWatchDuration { get; set; }

    /// <summary>The watch streams open now.</summary>
    internal ActiveWatches Watches { get; } = new();

    /// <summary>Resets the connection of every open watch stream (a network failure mid-stream); returns how many.</summary>
    public int DropWatches() => Watches.DropAll();

    /// <summary>How many watch streams are open now.</summary>
    public int OpenWatches => Watches.Count;

    /// <summary>The server's URL, e.g. <c>https://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public NodeStore Nodes { get; }

    public FaultInjector Faults { get; } = new();

    public RequestCounters Counters { get; } = new();

    /// <summary>
    /// Cancelled when the web host stops itself: its console lifetime takes SIGTERM and SIGINT
    /// first, so a caller waiting for those signals some other way would never see them.
    /// </summary>

    /// <summary>The simulator's PKI when it serves HTTPS.</summary>
    public SimulatorCertificates? Certificates { get; }

    public static async Task<KubeApiSimulator> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Auth == SimulatorAuth.ClientCertificate && !options.Https)
        {
            throw new ArgumentException("client certificate auth needs Https = true", nameof(options));
        }

        var nodes = new NodeStore(options.WatchHistory);
        var initial = new List<System.Text.Json.Nodes.JsonObject>();
        if (options.IncludeVitrageSpecNode)
        {
            initial.Add(VitrageSpecFixture.CreateNode());
        }

        if (options.FixtureFile is { } fixture)
        {
            initial.AddRange(NodeFixtureLoader.Load(fixture));
        }

        nodes.AddRange(initial.Concat(NodeGenerator.Generate(options)));
        if (options.InvalidNodes)
        {
            InvalidNodes.AddTo(nodes);
        }

        var certificates = options.Https ? SimulatorCertificates.Create(options.UserName, options.ServerCertificateNames) : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // A library inside tests, the demo and its own exe: the process that embeds it owns the
        // signals. (The default console lifetime swallowed SIGTERM and Ctrl+C: only SIGKILL stopped it.)
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificates is not null)
                {
                    listen.UseHttps(certificates.Server, https =>
                    {
                        https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                        https.AllowAnyClientCertificate();
                    });
                }
            });
        });
        var app = builder.Build();
        var simulator = new KubeApiSimulator(options, app, certificates, nodes);
        new SimulatorEndpoints(simulator).Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()?.Addresses.First()
            : null;
        simulator.BaseUrl = new Uri((address ?? throw new InvalidOperationException("Kestrel reported no address"))
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return simulator;
    }

    /// <summary>Adds generated nodes (new names, same realism) and returns their names.</summary>
    public IReadOnlyList<string> AddGeneratedNodes(int count)
    {
        var first = Interlocked.Add(ref _nextGeneratedIndex, count) - count;
        var names = new List<string>(count);
        foreach (var node in NodeGenerator.Generate(Options, first, count))
        {
            Nodes.Add(node);
            names.Add(node["metadata"]!["name"]!.GetValue<string>());
        }

        return names;
    }

    public Task WriteKubeconfigAsync(string path, string? token = null, bool clientCertificate = false) =>
        KubeconfigWriter.WriteAsync(this, path, token, clientCertificate);

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Certificates?.Dispose();
    }
}
