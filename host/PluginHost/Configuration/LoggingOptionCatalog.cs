using PluginHost.Contracts;

namespace PluginHost.Configuration;

/// <summary>oslo.log's options, in <c>[DEFAULT]</c> under their oslo names, so a vitrage.conf's logging settings apply.</summary>
internal static class LoggingOptionCatalog
{
    public static IReadOnlyList<OptionDefinition> Options { get; } =
    [
        OptionDefinition.Bool("debug", false, "Log at debug level (overrides [plugin_host] log_level). --debug on the command line does the same."),
        OptionDefinition.Path("log_file", string.Empty,
            "Log to this file instead of standard error (relative: inside log_dir). Reopened on SIGHUP, so logrotate can move it. --log-file on the command line overrides it."),
        OptionDefinition.Path("log_dir", string.Empty, "Folder of log_file; with log_dir alone the file is log_dir/pluginhost.log."),
        OptionDefinition.Bool("use_journal", false, "Log to the systemd journal with its fields (PRIORITY, SYSLOG_IDENTIFIER, LOGGER_NAME); standard error when there is no journal."),
        OptionDefinition.Bool("use_json", false, "One JSON object per record (oslo.log's JSONFormatter keys: message, asctime, name, levelname, process, traceback)."),
        OptionDefinition.String("log_date_format", "%Y-%m-%d %H:%M:%S", "Python strftime format of the time at the start of each line (milliseconds follow)."),
    ];
}
