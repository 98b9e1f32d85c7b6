namespace PluginHost.KubeApiSimulator;

/// <summary>Holds the active fault rules and decides, per request, which one fires.</summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<ActiveRule> _rules = [];

    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            _rules.Add(new ActiveRule(rule));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>How many times each rule fired, in the order added.</summary>
    public IReadOnlyList<int> Fired
    {
        get
        {
            lock (_gate)
            {
                return _rules.Select(r => r.Fired).ToList();
            }
        }
    }

    internal FaultRule? Match(string path, bool hasContinue, bool isWatch = false)
    {
        lock (_gate)
        {
            foreach (var active in _rules)
            {
                if (!path.StartsWith(active.Rule.PathPrefix, StringComparison.Ordinal)
                    || (active.Rule.Kind == FaultKind.GoneOnContinue && !hasContinue)
                    || (active.Rule.OnWatch is { } onWatch && onWatch != isWatch))
                {
                    continue;
                }

                active.Seen++;
                var rule = active.Rule;
                var hit = (rule.OnRequest, rule.EveryNth) switch
                {
                    ({ } n, _) => active.Seen == n,
                    (null, { } every) => active.Seen % every == 0,
                    _ => true,
                };
                if (hit && (rule.Times is not { } times || active.Fired < times))
                {
                    active.Fired++;
                    return rule;
                }
            }

            return null;
        }
    }

    private sealed class ActiveRule(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;

        public int Seen { get; set; }

        public int Fired { get; set; }
    }
}
