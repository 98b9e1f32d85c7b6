using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using PluginHost.Api.Auth;
using PluginHost.Api.Endpoints;
using PluginHost.Configuration;
using PluginHost.Graph;
using PluginHost.Operations;
using PluginHost.Scheduling;

namespace PluginHost.Api;

/// <summary>
/// The REST API in the host process: Vitrage's v1 routes on Kestrel, read from published graph
/// versions only (never the live graph), and the web view's static files under <c>/ui/</c>.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    /// <summary>Queries are small; nothing the API accepts needs more.</summary>
    public const long MaxRequestBodyBytes = 1 << 20;

    /// <summary>Connections open at once, from all clients (Kestrel closes any beyond); one client may
    /// hold at most <see cref="ConnectionsPerClient.Limit"/> of them.</summary>
    public const int MaxConnections = 4 * ConnectionsPerClient.Limit;

    private readonly WebApplication _app;
    private readonly KeystoneClient? _keystone;

    private ApiServer(WebApplication app, KeystoneClient? keystone, Uri baseUrl)
    {
        _app = app;
        _keystone = keystone;
        BaseUrl = baseUrl;
    }

    /// <summary>Where the web view's built files are: <c>ui/</c> beside the host.</summary>
    public static string UiFolder => Path.Combine(AppContext.BaseDirectory, "ui");

    /// <summary>The address it listens on, e.g. <c>http://127.0.0.1:8999/</c> (the real port when 0 was asked).</summary>
    public Uri BaseUrl { get; }

    /// <exception cref="ConfigException">The address cannot be bound or the certificate not loaded.</exception>
    public static async Task<ApiServer> StartAsync(
        ApiSettings settings, HostHealth health, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken,
        History.AlarmHistoryReader? history = null)
    {
        var versions = health.Scheduler.Versions;
        var logger = loggerFactory.CreateLogger("PluginHost.Api");
        var certificate = LoadCertificate(settings);
        var keystone = settings.Keystone is { } keystoneSettings ? new KeystoneClient(keystoneSettings, time) : null;
        IRequestAuthenticator authenticator = keystone is null
            ? new NoAuthAuthenticator()
            : new KeystoneAuthenticator(keystone, new TokenCache(time, settings.Keystone!.CacheTime), settings.Keystone.WwwAuthenticateUri, logger);

        // The empty builder reads no appsettings or ASPNETCORE_* variables: vitrage.conf alone configures the API.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddProvider(new HostLoggerProvider(loggerFactory));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning); // no start-up banner or per-request lines
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = MaxConnections;
            var perClient = new ConnectionsPerClient();
            kestrel.Listen(Address(settings.Host), settings.Port, listen =>
            {
                listen.Use(perClient.Wrap);
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });

        var app = builder.Build();
        var hosts = new HostNameFilter(settings.AuthMode == ApiAuthMode.NoAuth && ApiSettingsLoader.IsLoopback(settings.Host), settings.AllowedHosts);
        var middleware = new ApiMiddleware(authenticator, hosts, logger);
        app.Use(middleware.InvokeAsync);
        MountUi(app);
        app.UseStatusCodePages(new StatusCodePagesOptions { HandleAsync = c => ApiMiddleware.WriteStatusCodeAsync(c.HttpContext) });
        app.UseRouting(); // a route matches with and without the trailing slash the vitrage client sends
        var graph = new GraphReadiness(versions, health.Scheduler.GraphWaitsFor, time);
        InfoEndpoints.Map(app, () => health.Scheduler.Runners, graph);
        OperationsEndpoints.Map(app, health, time);
        TopologyEndpoints.Map(app, graph);
        GraphVersionEndpoints.Map(app, versions, app.Lifetime.ApplicationStopping); // the web view waits with it: never 503
        ResourceEndpoints.Map(app, graph);
        AlarmEndpoints.Map(app, graph, history);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            keystone?.Dispose();
            throw new ConfigException($"[api] cannot listen on {settings.Host} port {settings.Port}: {e.Message}");
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address");
        var server = new ApiServer(app, keystone, new Uri(address.TrimEnd('/') + "/"));
        logger.LogInformation("REST API listening on {Url} (auth_mode = {AuthMode})", server.BaseUrl,
            settings.AuthMode == ApiAuthMode.Keystone ? "keystone" : "noauth");
        if (settings.AuthMode == ApiAuthMode.NoAuth && !ApiSettingsLoader.IsLoopback(settings.Host))
        {
            logger.LogWarning(
                "The REST API listens on {Host} with [api] auth_mode = noauth: anyone who reaches port {Port} can read the whole graph and claim any role. Use auth_mode = keystone, or host = 127.0.0.1",
                settings.Host, server.BaseUrl.Port);
        }

        return server;
    }

    private static IPAddress Address(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(host);

    private static X509Certificate2? LoadCertificate(ApiSettings settings)
    {
        if (settings.CertFile is null || settings.KeyFile is null)
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(settings.CertFile, settings.KeyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ConfigException($"[api] cert_file = '{settings.CertFile}', key_file = '{settings.KeyFile}': cannot load the certificate and key (PEM expected): {e.Message}");
        }
    }

    // The web view is built into ui/ beside the host by its own project; the API only serves it.
    private static void MountUi(WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.Equals("/ui", StringComparison.Ordinal))
            {
                context.Response.Redirect("/ui/");
                return Task.CompletedTask;
            }

            return next(context);
        });
        if (!Directory.Exists(UiFolder))
        {
            // A host built where npm was missing: say so rather than a bare 404.
            app.Map("/ui/{**path}", () => Results.Text(
                "This host was built without its web view: npm was not found at build time. Install Node.js 20.19 or later with npm (Debian: apt-get install nodejs npm) and build again.\n",
                statusCode: StatusCodes.Status404NotFound));
            return;
        }

        var files = new PhysicalFileProvider(UiFolder);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = "/ui" });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = "/ui", OnPrepareResponse = static file => AddUiHeaders(file.Context.Response.Headers) });
    }

    // Defence in depth for a page that shows what datasources report: it loads only its own files
    // and the API (inline style attributes are how it lays out rows; its JSON links are blob: URLs of
    // answers it already has), no other site may frame it
    // (clickjacking), and no file is read as another type than the one it is served as.
    private static void AddUiHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = "default-src 'self'; connect-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>Stops accepting requests; those in flight may finish until <paramref name="cancellationToken"/> fires, then are cut.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the deadline cut the remaining requests
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _keystone?.Dispose();
    }
}
