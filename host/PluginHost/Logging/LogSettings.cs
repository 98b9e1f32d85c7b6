using Microsoft.Extensions.Logging;

namespace PluginHost.Logging;

/// <summary>oslo.log's options as the host reads them from <c>[DEFAULT]</c> (and <c>--debug</c>, <c>--log-file</c>).</summary>
/// <param name="Level">debug when <c>[DEFAULT] debug</c>, else <c>[plugin_host] log_level</c>.</param>
/// <param name="File">The log file (<c>log_dir</c>/<c>log_file</c>); <c>null</c>: standard error.</param>
/// <param name="Journal">Send to the systemd journal (<c>use_journal</c>) with its fields.</param>
/// <param name="Json">One JSON object per record (<c>use_json</c>), oslo.log's JSONFormatter keys.</param>
/// <param name="DateFormat">Python strftime format of the time (<c>log_date_format</c>).</param>
internal sealed record LogSettings(LogLevel Level, string? File, bool Journal, bool Json, string DateFormat)
{
    public const string DefaultDateFormat = "%Y-%m-%d %H:%M:%S";

    public static LogSettings Default { get; } = new(LogLevel.Information, null, false, false, DefaultDateFormat);
}
