namespace PluginHost.History;

/// <summary>What the history writer is asked to do, in the order the graph did it.</summary>
internal abstract record AlarmHistoryWork;

/// <summary>An alarm became active: a row, unless one for this alarm is still open (it was active before a restart).</summary>
internal sealed record AlarmStarted(AlarmRow Row) : AlarmHistoryWork;

/// <summary>An alarm ended at <see cref="End"/>: its open row gets the end.</summary>
internal sealed record AlarmEnded(string VitrageId, string End) : AlarmHistoryWork;

/// <summary>
/// The first complete snapshot of a datasource since the host started: its open rows whose alarm
/// is not among <see cref="Active"/> ended while the host was away; they end at <see cref="At"/>.
/// </summary>
internal sealed record DatasourceReconciled(string Datasource, IReadOnlySet<string> Active, string At) : AlarmHistoryWork;

/// <summary>
/// A starting host runs only the datasources in <see cref="Enabled"/>: the open rows of any other
/// datasource of one of its <see cref="Plugins"/> (<c>plugin</c> or <c>plugin/instance</c>, removed from
/// <c>[datasources] types</c> while the host was down) end at <see cref="At"/>, since no snapshot of it
/// will ever end them. Rows relayed from other hosts (<c>publisher/datasource</c>) and rows without a
/// datasource are left alone.
/// </summary>
internal sealed record DisabledDatasourcesEnded(IReadOnlySet<string> Enabled, IReadOnlySet<string> Plugins, string At) : AlarmHistoryWork;

/// <summary>Completes when everything before it is written (or the writer stopped).</summary>
internal sealed record HistoryFlushed(TaskCompletionSource Done) : AlarmHistoryWork;

/// <summary>One row of Vitrage's alarms table.</summary>
internal sealed record AlarmRow(
    string VitrageId,
    string StartTimestamp,
    string Name,
    string Type,
    string? AggregatedSeverity,
    string? OperationalSeverity,
    string? ProjectId,
    string? ResourceType,
    string? ResourceId,
    string? ResourceProjectId,
    string? Datasource,
    string Payload);
