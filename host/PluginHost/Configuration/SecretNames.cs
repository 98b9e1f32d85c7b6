namespace PluginHost.Configuration;

/// <summary>
/// Keys whose values are never printed, even when their option does not say so (oslo's own
/// sections: <c>[keystone_authtoken] password</c>, <c>[DEFAULT] transport_url</c>, tokens).
/// </summary>
internal static class SecretNames
{
    private static readonly string[] Markers = ["password", "passwd", "secret", "token", "transport_url", "connection", "private_key", "credential"];

    public static bool IsSecret(string key) => Markers.Any(m => key.Contains(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether a key read from a file may be printed: an option name (letters, digits, <c>_ - .</c>).
    /// Anything else is a line whose separator is not where it was meant to be, e.g.
    /// <c>connection mysql://u:password@db/x?charset=utf8</c>, whose "key" is everything before the
    /// query's <c>=</c>, password included.
    /// </summary>
    public static bool IsPrintableKey(string key) =>
        key.Length is > 0 and <= 200 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
