using PluginHost.Contracts;

namespace PluginHost.Configuration;

/// <summary>
/// The REST API's options: <c>[api]</c> under Vitrage's own names, and the
/// <c>[keystone_authtoken]</c> options of keystonemiddleware that token validation needs, so an
/// existing vitrage.conf configures both.
/// </summary>
internal static class ApiOptionCatalog
{
    public const string ApiSection = "api";
    public const string KeystoneSection = "keystone_authtoken";

    public static readonly OptionDefinition<bool> Enabled = OptionDefinition.Bool("enabled", true,
        "Serve the REST API (Vitrage's v1 routes) while `run` runs.");

    public static readonly OptionDefinition<string> Host = OptionDefinition.String("host", "127.0.0.1",
        "Address the API listens on: an IP address (0.0.0.0 or :: for every interface) or localhost. With auth_mode = noauth, anything but loopback is logged as a warning: anyone who reaches the port can read the graph.");

    public static readonly OptionDefinition<int> Port = OptionDefinition.Int("port", 8999,
        "TCP port of the API (8999 is Vitrage's). 0 picks a free port, which is logged.", min: 0, max: 65535);

    public static readonly OptionDefinition<string> CertFile = OptionDefinition.Path("cert_file", string.Empty,
        "TLS certificate (PEM; intermediate certificates after the server's own) to serve HTTPS; needs key_file. Empty: plain HTTP.");

    public static readonly OptionDefinition<string> KeyFile = OptionDefinition.Path("key_file", string.Empty,
        "Private key (PEM) of cert_file.");

    public static readonly OptionDefinition<string> AuthMode = OptionDefinition.Enum("auth_mode", "noauth", ["noauth", "keystone"],
        "noauth: the caller's identity is taken from the X-User-Id, X-Project-Id and X-Roles headers, as Vitrage's noauth does (what `vitrage --os-auth-type vitrage-noauth` sends). keystone: every /v1 request needs an X-Auth-Token that Keystone validates ([keystone_authtoken]).");

    public static readonly OptionDefinition<IReadOnlyList<string>> AllowedHosts = OptionDefinition.List("allowed_hosts", string.Empty,
        "Names requests may carry in their Host header besides localhost and IP addresses, e.g. the name a reverse proxy forwards; * for any. Empty: with auth_mode = noauth on loopback (the default) other names are refused, so that no web page can read the graph by rebinding its own name to 127.0.0.1; on any other listener every name is served.");

    public static IReadOnlyList<OptionDefinition> Api { get; } = [Enabled, Host, Port, CertFile, KeyFile, AuthMode, AllowedHosts];

    public static readonly OptionDefinition<string> WwwAuthenticateUri = OptionDefinition.String("www_authenticate_uri", string.Empty,
        "Public Keystone endpoint clients are sent to (WWW-Authenticate of a 401), e.g. http://controller:5000/v3; tokens are validated there too when auth_url is empty.");

    public static readonly OptionDefinition<string> AuthUrl = OptionDefinition.String("auth_url", string.Empty,
        "Keystone endpoint where the service user below signs in and validates tokens (GET /v3/auth/tokens), e.g. http://controller:5000/v3.");

    public static readonly OptionDefinition<string> AuthType = OptionDefinition.Enum("auth_type", "password", ["password", "v3password"],
        "How the service user signs in; only a password is supported.");

    public static readonly OptionDefinition<string> Username = OptionDefinition.String("username", string.Empty,
        "Service user that validates tokens (it needs Keystone's service or admin role).");

    public static readonly OptionDefinition<string> Password = OptionDefinition.String("password", string.Empty,
        "The service user's password.", secret: true);

    public static readonly OptionDefinition<string> ProjectName = OptionDefinition.String("project_name", "service",
        "Project the service user's token is scoped to.");

    public static readonly OptionDefinition<string> UserDomainName = OptionDefinition.String("user_domain_name", "Default",
        "Domain of the service user.");

    public static readonly OptionDefinition<string> ProjectDomainName = OptionDefinition.String("project_domain_name", "Default",
        "Domain of project_name.");

    public static readonly OptionDefinition<string> CaFile = OptionDefinition.Path("cafile", string.Empty,
        "CA bundle (PEM) that signed Keystone's certificate. Empty: the system's trusted CAs.");

    public static readonly OptionDefinition<bool> Insecure = OptionDefinition.Bool("insecure", false,
        "Do not verify Keystone's TLS certificate (tests only).");

    public static readonly OptionDefinition<int> HttpConnectTimeout = OptionDefinition.Int("http_connect_timeout", 10,
        "Seconds a request to Keystone may take, connecting included; past it the API request answers 503.", min: 1, max: 300);

    public static readonly OptionDefinition<int> TokenCacheTime = OptionDefinition.Int("token_cache_time", 300,
        "Seconds a validation result is reused (never past the token's expiry); a revoked token keeps working this long. 0: ask Keystone on every request.",
        min: 0, max: 86400);

    public static IReadOnlyList<OptionDefinition> Keystone { get; } =
    [
        WwwAuthenticateUri, AuthUrl, AuthType, Username, Password, ProjectName, UserDomainName, ProjectDomainName, CaFile, Insecure,
        HttpConnectTimeout, TokenCacheTime,
    ];
}
