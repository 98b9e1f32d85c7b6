using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// Picks how a kubeconfig user authenticates, with kubectl's rules: no credentials at all is
/// fine (no Authorization header); token or tokenFile, or username and password, or an exec
/// plugin, alongside an optional client certificate; <c>auth-provider</c> gcp and azure were
/// removed from kubectl and are refused with its advice; oidc uses its id-token.
/// </summary>
internal static class AuthenticatorFactory
{
    private static readonly string[] ExecApiVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"];

    /// <param name="warnings">Receives what kubectl does silently but an operator should know.</param>
    public static IRequestAuthenticator Create(KubeconfigTarget target, TimeSpan execTimeout, TimeProvider time, List<string> warnings)
    {
        if (target.User is not { } user)
        {
            return StaticAuthenticator.None(target.UserName.Length == 0 ? $"no user (context '{target.ContextName}' names none)" : "no credentials");
        }

        var where = $"kubeconfig {user.Origin.File}: user '{user.Name}'";
        if (user.Impersonate is not null || user.ImpersonateGroups.Count > 0)
        {
            // Connecting as the user itself would read nodes as someone else than kubectl does.
            throw new DatasourceConfigurationException(
                $"{where} impersonates (as/as-groups), which this plugin does not do; give the datasource a user of its own with the node-reader role (see the plugin README)");
        }

        var hasToken = user.Token is not null || user.TokenFile is not null;
        var hasBasic = user.Username is not null || user.Password is not null;
        if (hasToken && hasBasic)
        {
            throw new DatasourceConfigurationException($"{where} has more than one authentication method (token, username/password); kubectl allows only one");
        }

        if (user.AuthProvider is { } provider)
        {
            return user.Exec is null
                ? AuthProvider(provider, where)
                : throw new DatasourceConfigurationException($"{where}: auth-provider cannot be provided in combination with an exec plugin (kubectl's rule)");
        }

        if (user.Exec is { } exec)
        {
            CheckExec(exec, user.Name, where);
            if (!hasToken && !hasBasic && !user.HasClientCertificate)
            {
                return new ExecAuthenticator(new ExecCredentialPlugin(exec, user.Name, target.Cluster, execTimeout), time);
            }

            warnings.Add($"{where} has a token, password or client certificate besides exec plugin '{exec.Command}'; the plugin is not run (kubectl does the same)");
        }

        if (user.TokenFile is { } tokenFile)
        {
            // tokenFile wins over token: client-go uses token only until it first reads the file.
            var authenticator = new TokenFileAuthenticator(tokenFile);
            authenticator.CheckReadable(where);
            return authenticator;
        }

        if (user.Token is { } token)
        {
            return StaticAuthenticator.Bearer(token, "bearer token");
        }

        if (hasBasic)
        {
            return StaticAuthenticator.Basic(user.Username ?? string.Empty, user.Password ?? string.Empty);
        }

        return StaticAuthenticator.None(user.HasClientCertificate ? "client certificate" : "no credentials");
    }

    // kubectl's checks, at start: a kubeconfig kubectl refuses is a configuration error (exit 2).
    private static void CheckExec(ExecConfig exec, string userName, string where)
    {
        if (exec.Command.Length == 0)
        {
            throw new DatasourceConfigurationException($"{where}: exec has no command");
        }

        if (!ExecApiVersions.Contains(exec.ApiVersion, StringComparer.Ordinal))
        {
            throw new DatasourceConfigurationException(
                $"{where}: exec apiVersion '{exec.ApiVersion}' is not one kubectl supports ({string.Join(", ", ExecApiVersions)})");
        }

        switch (exec.InteractiveMode)
        {
            case null when exec.ApiVersion == ExecApiVersions[0]:
                throw new DatasourceConfigurationException(
                    $"{where}: interactiveMode must be specified for {userName} to use exec authentication plugin (kubectl's rule for apiVersion {exec.ApiVersion}); set it to Never");
            case null or "Never" or "IfAvailable":
                return; // the datasource never has a terminal: IfAvailable means Never
            case "Always":
                throw new DatasourceConfigurationException(
                    $"{where}: exec plugin '{exec.Command}' has interactiveMode: Always, which needs a terminal; the datasource runs without one (kubectl too refuses it without one)");
            default:
                throw new DatasourceConfigurationException(
                    $"{where}: exec interactiveMode '{exec.InteractiveMode}' is not Never, IfAvailable or Always");
        }
    }

    private static StaticAuthenticator AuthProvider(AuthProviderConfig provider, string where) => provider.Name switch
    {
        // kubectl's own messages since 1.26, which removed both.
        "gcp" => throw new DatasourceConfigurationException(
            $"{where}: the gcp auth plugin has been removed; use the \"gke-gcloud-auth-plugin\" kubectl/client-go credential plugin instead (an exec user), see https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke"),
        "azure" => throw new DatasourceConfigurationException(
            $"{where}: the azure auth plugin has been removed; use the https://github.com/Azure/kubelogin kubectl/client-go credential plugin instead (an exec user), see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins"),
        "oidc" => Oidc(provider, where),
        _ => throw new DatasourceConfigurationException($"{where}: no Auth Provider found for name \"{provider.Name}\" (kubectl knows only oidc)"),
    };

    // kubectl refreshes an expired id-token with the issuer; this plugin uses the id-token as it is
    // (kubelogin, an exec plugin, does the refresh for both).
    private static StaticAuthenticator Oidc(AuthProviderConfig provider, string where)
    {
        foreach (var required in new[] { "idp-issuer-url", "client-id" })
        {
            if (!provider.Config.ContainsKey(required))
            {
                throw new DatasourceConfigurationException($"{where}: auth-provider oidc: Must provide {required} (kubectl's rule)");
            }
        }

        return provider.Config.TryGetValue("id-token", out var idToken) && idToken.Length > 0
            ? StaticAuthenticator.Bearer(idToken, "oidc id-token (not refreshed: use kubelogin to refresh it)")
            : throw new DatasourceConfigurationException(
                $"{where}: auth-provider oidc has no id-token, and this plugin does not log in to the issuer; use the kubelogin exec plugin (kubectl oidc-login)");
    }
}
