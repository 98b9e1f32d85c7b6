using System.Text.RegularExpressions;
using Prometheus;
using PluginHost.Contracts;

namespace PluginHost.Operations;

/// <summary>
/// The drivers' own totals (<see cref="IDriverCounters"/>: a watch's streams, reconnects, relists,
/// events by type, backoffs, resync differences) as Prometheus counters, read at scrape time:
/// <c>watch_relists</c> → <c>pluginhost_datasource_watch_relists_total{datasource}</c>,
/// <c>watch_events{type=MODIFIED}</c> → <c>pluginhost_datasource_watch_events_total{datasource,type}</c>.
/// A driver's totals start again with a new driver (a reload); the exported counters add what the
/// new one counts to what was exported, so they never go back (a Prometheus counter that falls
/// reads as a reset of the whole process).
/// </summary>
internal sealed partial class DriverCounterMetrics(IMetricFactory factory)
{
    private const string Prefix = "pluginhost_datasource_";

    private readonly Lock _gate = new();

    // Family name → its counter, or null for a name that cannot be exported (reported nowhere: the service list still shows it).
    private readonly Dictionary<string, (Counter? Counter, string? Label)> _families = new(StringComparer.Ordinal);

    // (datasource, counter key) → the driver that counted it and the total last exported from it.
    private readonly Dictionary<(string Datasource, string Key), (IDriverCounters Driver, long Total)> _exported = [];

    [GeneratedRegex("""^(?<name>[a-z][a-z0-9_]*)(\{(?<label>[a-z][a-z0-9_]*)=(?<value>[^{}"\\\n,=]+)\})?$""")]
    private static partial Regex CounterKey();

    /// <summary>Exports the totals of each (datasource name, driver) that keeps any.</summary>
    public void Refresh(IEnumerable<(string Datasource, IDatasourceDriver Driver)> drivers)
    {
        lock (_gate)
        {
            foreach (var (datasource, driver) in drivers)
            {
                if (driver is not IDriverCounters counting || Read(counting) is not { } counters)
                {
                    continue;
                }

                foreach (var (key, total) in counters)
                {
                    Export(datasource, counting, key, total);
                }
            }
        }
    }

    private static IReadOnlyDictionary<string, long>? Read(IDriverCounters counting)
    {
        try
        {
            return counting.Counters;
        }
#pragma warning disable CA1031 // a plugin's bug must not fail the scrape
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private void Export(string datasource, IDriverCounters driver, string key, long total)
    {
        var match = CounterKey().Match(key);
        if (!match.Success || Family(match) is not { } counter)
        {
            return;
        }

        // A total from a driver seen before adds its growth; a new driver's (or a fallen) total counts from zero.
        var exported = _exported.TryGetValue((datasource, key), out var last) && ReferenceEquals(last.Driver, driver) && total >= last.Total ? last.Total : 0;
        _exported[(datasource, key)] = (driver, total);
        // Created even at zero: "no relist yet" is a sample, not a missing series.
        var child = match.Groups["label"].Success ? counter.WithLabels(datasource, match.Groups["value"].Value) : counter.WithLabels(datasource);
        if (total > exported)
        {
            child.Inc(total - exported);
        }
    }

    private Counter? Family(Match match)
    {
        var name = match.Groups["name"].Value;
        var label = match.Groups["label"].Success ? match.Groups["label"].Value : null;
        if (!_families.TryGetValue(name, out var family))
        {
            family = (Create(name, label), label);
            _families[name] = family;
        }

        // One name, one set of labels: a key that differs from the first one seen is left out.
        return string.Equals(family.Label, label, StringComparison.Ordinal) ? family.Counter : null;
    }

    private Counter? Create(string name, string? label)
    {
        if (label == "datasource")
        {
            return null;
        }

        try
        {
            return factory.CreateCounter(Prefix + name + "_total", $"The datasource driver's own total '{name}' (IDriverCounters).",
                label is null ? ["datasource"] : ["datasource", label]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // A host metric of that name already exists (with other labels): the host's wins.
            return null;
        }
    }
}
