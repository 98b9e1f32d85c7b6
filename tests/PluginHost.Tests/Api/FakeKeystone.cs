using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PluginHost.Tests.Api;

/// <summary>
/// Keystone's Identity v3 token API, as far as token validation goes: the service user signs in
/// (POST /v3/auth/tokens, answer in X-Subject-Token), and validates tokens this fake issued
/// (GET /v3/auth/tokens with X-Auth-Token and X-Subject-Token: 200, or 404 for unknown and
/// expired ones). Counts validations; can be made slow.
/// </summary>
internal sealed class FakeKeystone : IAsyncDisposable
{
    public const string ServiceUser = "vitrage";
    public const string ServicePassword = "s3rvice-passw0rd";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Issued> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _serviceTokens = new(StringComparer.Ordinal);
    private int _validations;

    private FakeKeystone(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Where it listens, without /v3 (the host must add it).</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public int Validations => Volatile.Read(ref _validations);

    /// <summary>How long each answer waits.</summary>
    public TimeSpan Delay { get; set; }

    public static async Task<FakeKeystone> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var keystone = new FakeKeystone(app);
        app.MapPost("/v3/auth/tokens", keystone.SignInAsync);
        app.MapGet("/v3/auth/tokens", keystone.ValidateAsync);
        await app.StartAsync();
        keystone.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return keystone;
    }

    /// <summary>A token for a user of a project with roles, valid for <paramref name="lifetime"/>.</summary>
    public string Issue(string userId, string projectId, string[] roles, TimeSpan lifetime)
    {
        var token = $"gAAAA{Guid.NewGuid():N}";
        _tokens[token] = new Issued(userId, projectId, roles, DateTimeOffset.UtcNow + lifetime);
        return token;
    }

    private async Task SignInAsync(HttpContext context)
    {
        await Task.Delay(Delay, context.RequestAborted);
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var user = body.RootElement.GetProperty("auth").GetProperty("identity").GetProperty("password").GetProperty("user");
        var project = body.RootElement.GetProperty("auth").GetProperty("scope").GetProperty("project");
        if (user.GetProperty("name").GetString() != ServiceUser || user.GetProperty("password").GetString() != ServicePassword
            || user.GetProperty("domain").GetProperty("name").GetString() != "Default" || project.GetProperty("name").GetString() != "service")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 401, title = "Unauthorized", message = "The request you have made requires authentication." } });
            return;
        }

        var token = $"service-{Guid.NewGuid():N}";
        _serviceTokens[token] = true;
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers["X-Subject-Token"] = token;
        await context.Response.WriteAsJsonAsync(TokenBody(new Issued("service-user-id", "service-project-id", ["service"], DateTimeOffset.UtcNow.AddHours(1))));
    }

    private async Task ValidateAsync(HttpContext context)
    {
        await Task.Delay(Delay, context.RequestAborted);
        Interlocked.Increment(ref _validations);
        if (!_serviceTokens.ContainsKey(context.Request.Headers["X-Auth-Token"].ToString()))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (!_tokens.TryGetValue(context.Request.Headers["X-Subject-Token"].ToString(), out var issued) || issued.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 404, title = "Not Found", message = "Could not find token." } });
            return;
        }

        await context.Response.WriteAsJsonAsync(TokenBody(issued));
    }

    private static object TokenBody(Issued issued) => new
    {
        token = new
        {
            expires_at = issued.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            methods = new[] { "password" },
            user = new { id = issued.UserId, name = issued.UserId, domain = new { id = "default", name = "Default" } },
            project = new { id = issued.ProjectId, name = issued.ProjectId, domain = new { id = "default", name = "Default" } },
            roles = issued.Roles.Select(r => new { id = $"role-{r}", name = r }).ToArray(),
        },
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Issued(string UserId, string ProjectId, string[] Roles, DateTimeOffset ExpiresAt);
}
