using System.Net;
using PluginHost.Contracts;
using static PluginHost.Configuration.ApiOptionCatalog;

namespace PluginHost.Configuration;

/// <summary>Binds and checks <c>[api]</c> and, for <c>auth_mode = keystone</c>, <c>[keystone_authtoken]</c>.</summary>
internal static class ApiSettingsLoader
{
    public static ApiSettings Bind(ConfigFileSet files, ConfigDiagnostics diagnostics)
    {
        var api = new DatasourceSettings(SectionBinder.Bind(files, ApiSection, ApiOptionCatalog.Api, diagnostics));
        var host = api.Get(Host).Trim();
        if (!IsListenable(host))
        {
            diagnostics.Error($"{Where(files, ApiSection, Host.Name)}: [api] host = {SecretNames.QuoteValue(host)}: expected an IP address (such as 127.0.0.1, 0.0.0.0 or ::) or localhost");
        }

        var certFile = Optional(api.Get(CertFile));
        var keyFile = Optional(api.Get(KeyFile));
        if ((certFile is null) != (keyFile is null))
        {
            diagnostics.Error($"{Where(files, ApiSection, (certFile is null ? KeyFile : CertFile).Name)}: [api] cert_file and key_file go together: set both for HTTPS, or neither");
        }

        foreach (var (option, path) in new[] { (CertFile, certFile), (KeyFile, keyFile) })
        {
            if (path is not null && !File.Exists(path))
            {
                diagnostics.Error($"{Where(files, ApiSection, option.Name)}: [api] {option.Name} = {SecretNames.QuoteValue(path)}: no such file");
            }
        }

        var allowedHosts = api.Get(AllowedHosts);
        foreach (var entry in allowedHosts.Where(e => !Api.HostNameFilter.IsValidEntry(e)))
        {
            diagnostics.Error($"{Where(files, ApiSection, AllowedHosts.Name)}: [api] allowed_hosts: {SecretNames.QuoteValue(entry)} is not a host name, an IP address or *");
        }

        var keystone = api.Get(AuthMode) == "keystone";
        return new ApiSettings
        {
            Enabled = api.Get(Enabled),
            Host = host,
            Port = api.Get(Port),
            CertFile = certFile,
            KeyFile = keyFile,
            AuthMode = keystone ? ApiAuthMode.Keystone : ApiAuthMode.NoAuth,
            AllowedHosts = allowedHosts,
            Keystone = keystone ? BindKeystone(files, diagnostics) : null,
        };
    }

    /// <summary>Whether <paramref name="host"/> listens on loopback only.</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    // The addresses nearly every config listens on (the default among them) are known to be valid
    // without IPAddress's parser: its first use loads ~150 pages of generic parsing code, ~5 ms of
    // every verb's start-up on a VM where a page fault costs ~12 us (bench/README.md, start-up).
    private static bool IsListenable(string host) =>
        host is "127.0.0.1" or "0.0.0.0" or "::" or "::1"
        || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(host, out _);

    // keystonemiddleware's section: options it has and PluginHost does not use are normal there.
    private static KeystoneSettings? BindKeystone(ConfigFileSet files, ConfigDiagnostics diagnostics)
    {
        var errors = diagnostics.Errors.Count;
        var section = new DatasourceSettings(SectionBinder.Bind(files, KeystoneSection, ApiOptionCatalog.Keystone, diagnostics, warnOnUnknownKeys: false));
        var where = Where(files, ApiSection, AuthMode.Name);
        var authUrl = Optional(section.Get(AuthUrl)) ?? Optional(section.Get(WwwAuthenticateUri));
        Uri? identity = null;
        if (authUrl is null)
        {
            diagnostics.Error($"{where}: [api] auth_mode = keystone needs [keystone_authtoken] auth_url (or www_authenticate_uri), e.g. http://controller:5000/v3");
        }
        else if (!Uri.TryCreate(authUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            diagnostics.Error($"{Where(files, KeystoneSection, AuthUrl.Name)}: [keystone_authtoken] auth_url = {SecretNames.QuoteValue(authUrl)}: expected an http or https URL");
        }
        else
        {
            identity = IdentityRoot(url);
        }

        foreach (var required in new[] { Username, Password })
        {
            if (Optional(section.Get(required)) is null)
            {
                diagnostics.Error($"{where}: [api] auth_mode = keystone needs [keystone_authtoken] {required.Name} (the service user that validates tokens)");
            }
        }

        if (diagnostics.Errors.Count > errors || identity is null)
        {
            return null;
        }

        return new KeystoneSettings
        {
            IdentityUri = identity,
            WwwAuthenticateUri = Optional(section.Get(WwwAuthenticateUri)) ?? authUrl!,
            Username = section.Get(Username),
            Password = section.Get(Password),
            ProjectName = section.Get(ProjectName),
            UserDomainName = section.Get(UserDomainName),
            ProjectDomainName = section.Get(ProjectDomainName),
            CaFile = Optional(section.Get(CaFile)),
            Insecure = section.Get(Insecure),
            Timeout = TimeSpan.FromSeconds(section.Get(HttpConnectTimeout)),
            CacheTime = TimeSpan.FromSeconds(section.Get(TokenCacheTime)),
        };
    }

    /// <summary><c>http://keystone:5000</c>, <c>…/v3</c> and <c>…/v3/</c> all name <c>…/v3/</c>.</summary>
    public static Uri IdentityRoot(Uri url)
    {
        var path = url.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/v3", StringComparison.Ordinal))
        {
            path += "/v3";
        }

        return new UriBuilder(url) { Path = path + "/", Query = string.Empty, Fragment = string.Empty }.Uri;
    }

    private static string Where(ConfigFileSet files, string section, string key) =>
        files.Get(section, key)?.Location.ToString() ?? "(config)";

    private static string? Optional(string value) => value.Trim() is { Length: > 0 } trimmed ? trimmed : null;
}
