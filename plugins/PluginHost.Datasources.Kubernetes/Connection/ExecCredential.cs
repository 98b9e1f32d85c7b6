using System.Globalization;
using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// What an exec credential plugin printed: <c>{"apiVersion":…,"kind":"ExecCredential","status":
/// {"token":…, "clientCertificateData":…, "clientKeyData":…, "expirationTimestamp":…}}</c>. A class
/// whose ToString names nothing secret.
/// </summary>
internal sealed class ExecCredential
{
    public string? Token { get; private init; }

    public string? ClientCertificatePem { get; private init; }

    public string? ClientKeyPem { get; private init; }

    /// <summary>Until when it may be used; null: until the server rejects it.</summary>
    public DateTimeOffset? Expiration { get; private init; }

    public override string ToString() => "exec credential";

    /// <summary>Parses the plugin's stdout; a <see cref="FormatException"/> says what is wrong without quoting the output.</summary>
    public static ExecCredential Parse(ReadOnlyMemory<byte> output, string expectedApiVersion)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(output);
        }
        catch (JsonException e)
        {
            throw new FormatException($"its output is not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("its output is not a JSON object");
            }

            var apiVersion = Text(root, "apiVersion");
            var kind = Text(root, "kind");
            if (apiVersion != expectedApiVersion || kind != "ExecCredential")
            {
                throw new FormatException($"it printed apiVersion '{apiVersion}', kind '{kind}', but the kubeconfig expects apiVersion '{expectedApiVersion}', kind 'ExecCredential'");
            }

            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("it printed no status");
            }

            var credential = new ExecCredential
            {
                Token = Text(status, "token"),
                ClientCertificatePem = Text(status, "clientCertificateData"),
                ClientKeyPem = Text(status, "clientKeyData"),
                Expiration = Text(status, "expirationTimestamp") is { } expiration
                    ? DateTimeOffset.TryParse(expiration, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                        ? at
                        : throw new FormatException("its status.expirationTimestamp is not an RFC 3339 time")
                    : null,
            };
            if ((credential.ClientCertificatePem is null) != (credential.ClientKeyPem is null))
            {
                throw new FormatException("it printed only one of status.clientCertificateData and status.clientKeyData");
            }

            return credential.Token is not null || credential.ClientCertificatePem is not null
                ? credential
                : throw new FormatException("it printed neither status.token nor status.clientCertificateData and clientKeyData");
        }
    }

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
