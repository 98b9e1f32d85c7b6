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

    /// <summary>
    /// A value read from a file as an error message shows it, quotes included: its first line only.
    /// oslo.config reads an indented line as the value above continued, so a wrapped
    /// <c>transport_url</c> or password under another option becomes part of that option's value, and
    /// an error about that option quoted it whole.
    /// </summary>
    public static string QuoteValue(string value)
    {
        var end = value.IndexOf('\n', StringComparison.Ordinal);
        if (end < 0)
        {
            return $"'{Logging.LogText.Quote(value)}'";
        }

        var more = value.AsSpan(end).Count('\n');
        return more == 1
            ? $"'{Logging.LogText.Quote(value[..end])}' (and 1 continuation line, not shown: it may hold a secret)"
            : $"'{Logging.LogText.Quote(value[..end])}' (and {more} continuation lines, not shown: they may hold a secret)";
    }
}
