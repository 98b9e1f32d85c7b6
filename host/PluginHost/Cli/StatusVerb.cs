using System.CommandLine;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using PluginHost.Configuration;

namespace PluginHost.Cli;

/// <summary>
/// <c>status</c>: asks the running host (its REST API, <c>GET /v1/plugin_host/status</c>) how each
/// datasource and output is doing. Exit 1 when a datasource is failing or the host does not
/// answer, for scripts and monitoring checks.
/// </summary>
internal static class StatusVerb
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static Command Create(ConfigArguments config)
    {
        var format = OutputFormat.CreateOption();
        var url = new Option<string?>("--url")
        {
            Description = "The running host's API, e.g. http://127.0.0.1:8999 (default: from [api] host and port).",
        };
        var token = new Option<string?>("--os-token")
        {
            Description = "A Keystone token, when [api] auth_mode = keystone (default: $OS_TOKEN).",
        };
        var command = new Command("status", "Ask the running host how each datasource and output is doing; exit 1 when a datasource is failing (a failing output is a warning).")
        {
            format, url, token,
        };
        command.SetAction((parseResult, _) => VerbExecution.GuardAsync(async () =>
        {
            var configuration = HostConfigurationLoader.Load(config.LoadFiles(parseResult));
            using var catalog = configuration.Catalog;
            var api = configuration.Host.Api;
            var baseUrl = parseResult.GetValue(url) is { Length: > 0 } given ? ParseUrl(given) : DefaultUrl(api);

            // A user:password in --url goes to the server, never into an error message.
            var shownUrl = baseUrl.UserInfo.Length == 0 ? baseUrl : new UriBuilder(baseUrl) { UserName = string.Empty, Password = string.Empty }.Uri;
            using var http = CreateClient(api, baseUrl);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "v1/plugin_host/status"));
            request.Headers.Add("X-User-Id", "pluginhost-status");
            request.Headers.Add("X-Roles", "admin");
            if ((parseResult.GetValue(token) ?? Environment.GetEnvironmentVariable("OS_TOKEN")) is { Length: > 0 } osToken)
            {
                request.Headers.Add("X-Auth-Token", osToken);
            }

            string body;
            try
            {
                using var response = await http.SendAsync(request, ProcessSignals.Stopping);
                body = await response.Content.ReadAsStringAsync(ProcessSignals.Stopping);
                if (!response.IsSuccessStatusCode)
                {
                    await VerbExecution.WriteErrorsAsync([$"the host at {shownUrl} answered {(int)response.StatusCode}: {Logging.LogText.Escape(body)}"]);
                    return ExitCodes.DatasourceFailed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await VerbExecution.WriteErrorsAsync([$"cannot reach the host's API at {shownUrl}: {Logging.LogText.Escape(e.Message)} (is `pluginhost run` running, with [api] enabled?)"]);
                return ExitCodes.DatasourceFailed;
            }

            // Another server on that port (a proxy's page, another API) answers 200 too: that is
            // said, not thrown as a JsonException or KeyNotFoundException with its stack trace.
            try
            {
                using var document = JsonDocument.Parse(body);
                var failing = document.RootElement.GetProperty("datasources").EnumerateArray()
                    .Any(d => d.GetProperty("state").GetString() is "failing" or "never succeeded");
                if (parseResult.GetValue(format) == OutputFormat.Json)
                {
                    await Console.Out.WriteLineAsync(body);
                }
                else
                {
                    await WriteTableAsync(document.RootElement);
                }

                return failing ? ExitCodes.DatasourceFailed : ExitCodes.Ok;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                await VerbExecution.WriteErrorsAsync([$"the answer of {shownUrl} to /v1/plugin_host/status is not a PluginHost status; is this the host's API port?"]);
                return ExitCodes.DatasourceFailed;
            }
        }));
        return command;
    }

    // new Uri(text) threw UriFormatException (and HttpClient NotSupportedException for ftp://),
    // both with a stack trace and exit 1: a mistyped --url is a usage error.
    private static Uri ParseUrl(string given) =>
        Uri.TryCreate(given.TrimEnd('/') + "/", UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
            ? parsed
            : throw new ConfigException("--url expects the host's API as http://host:port or https://host:port");

    private static Uri DefaultUrl(ApiSettings api)
    {
        var host = api.Host is "0.0.0.0" or "::" ? "127.0.0.1" : api.Host;
        var scheme = api.CertFile is null ? "http" : "https";
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{scheme}://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{api.Port}/"));
    }

    // The host's own certificate is the one to trust: cert_file is on this machine.
    private static HttpClient CreateClient(ApiSettings api, Uri baseUrl)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = RequestTimeout, AllowAutoRedirect = false };
        if (baseUrl.Scheme == Uri.UriSchemeHttps && api.CertFile is { } certFile)
        {
            var expected = X509CertificateLoader.LoadCertificateFromFile(certFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (certificate is not null && certificate.GetCertHashString() == expected.GetCertHashString());
        }

        return new HttpClient(handler) { Timeout = RequestTimeout };
    }

    private static async Task WriteTableAsync(JsonElement status)
    {
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"host: {(status.GetProperty("alive").GetBoolean() ? "alive" : "NOT ALIVE")}, {(status.GetProperty("ready").GetBoolean() ? "ready" : "not ready")}; graph version {status.GetProperty("graph").GetProperty("version").GetInt64()}, {status.GetProperty("graph").GetProperty("vertices").GetInt32()} vertices"));
        foreach (var reason in status.GetProperty("reasons").EnumerateArray())
        {
            await Console.Out.WriteLineAsync($"  {reason.GetString()}");
        }

        foreach (var warning in status.TryGetProperty("warnings", out var warnings) ? warnings.EnumerateArray() : default)
        {
            await Console.Out.WriteLineAsync($"  warning: {warning.GetString()}");
        }

        await Console.Out.WriteLineAsync();
        var rows = status.GetProperty("datasources").EnumerateArray().Select(d => new[]
        {
            d.GetProperty("name").GetString()!,
            d.GetProperty("state").GetString()! + (d.TryGetProperty("failing_since", out var since) ? $" since {since.GetString()}" : string.Empty),
            d.TryGetProperty("last_success", out var success) ? success.GetString()! : "-",
            d.TryGetProperty("last_duration_seconds", out var duration) ? duration.GetDouble().ToString("0.00", CultureInfo.InvariantCulture) + " s" : "-",
            d.GetProperty("entities").GetInt32().ToString(CultureInfo.InvariantCulture),
            d.TryGetProperty("last_error", out var error) ? error.GetString()! : string.Empty,
        }).ToList();
        GraphTableRenderer.WriteColumns(Console.Out, ["DATASOURCE", "STATE", "LAST SUCCESS", "DURATION", "ENTITIES", "LAST ERROR"], rows);
        await Console.Out.WriteLineAsync();
        var outputs = status.GetProperty("outputs").EnumerateArray().Select(o => new[]
        {
            o.GetProperty("name").GetString()!,
            o.GetProperty("state").GetString()!,
            o.TryGetProperty("last_error", out var error) ? error.GetString()! : string.Empty,
        }).ToList();
        if (outputs.Count > 0)
        {
            GraphTableRenderer.WriteColumns(Console.Out, ["OUTPUT", "STATE", "LAST ERROR"], outputs);
        }
    }
}
