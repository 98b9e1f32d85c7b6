using System.Text;
using System.Text.Json;

namespace PluginHost.KubeApiSimulator;

/// <summary>The opaque <c>continue</c> token: the list's resourceVersion and the last name sent.</summary>
internal sealed record ContinueToken(long ResourceVersion, string After)
{
    public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["v"] = "meta.k8s.io/v1",
        ["rv"] = ResourceVersion,
        ["start"] = After + "\u0000",
    }));

    public static ContinueToken? Decode(string token)
    {
        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(token));
            var start = document.RootElement.GetProperty("start").GetString() ?? string.Empty;
            return new ContinueToken(document.RootElement.GetProperty("rv").GetInt64(), start.TrimEnd('\u0000'));
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(Convert.FromBase64String(Encode()));
}
