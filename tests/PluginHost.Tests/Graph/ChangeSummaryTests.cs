using PluginHost.Graph;

namespace PluginHost.Tests.Graph;

public sealed class ChangeSummaryTests
{
    // Each change: "key:previous>state" for a state change, "+key" added, "-key" deleted. Watched
    // changes are summarized a second at a time, so one node can change more than once in a summary:
    // a flap (there and back) must still be said, never "no change".
    public static TheoryData<string, string[], string> Cases => new()
    {
        { "nothing", [], "no change" },
        { "one state change", ["n1:Ready>NotReady"], "1 changed state (n1 NotReady)" },
        { "two changes onward: the state now", ["n1:Ready>NotReady", "n1:NotReady>Unknown"], "1 changed state (n1 Unknown)" },
        { "there and back: a flap", ["n1:Ready>NotReady", "n1:NotReady>Ready"], "1 flapped (n1 Ready→NotReady→Ready)" },
        { "a flap beside a change", ["n1:Ready>NotReady", "n2:Ready>NotReady", "n1:NotReady>Ready"], "1 changed state (n2 NotReady), 1 flapped (n1 Ready→NotReady→Ready)" },
        { "there and back twice", ["n1:Ready>NotReady", "n1:NotReady>Ready", "n1:Ready>NotReady", "n1:NotReady>Ready"], "1 flapped (n1 Ready→NotReady→Ready)" },
        { "added and deleted", ["+n3", "-n9"], "1 added (kubernetes.node n3), 1 deleted (kubernetes.node n9)" },
        // Found by a hostile test (stop 39): names from a cluster reached the log raw, so a name could
        // clear the operator's terminal or forge a log line of its own.
        { "a name with terminal escapes", ["+n\u001b[2J\u001b]0;title\u0007"], @"1 added (kubernetes.node n\u001b[2J\u001b]0;title\u0007)" },
        // Invisible format characters: a bidirectional override shows "node-1-evil" as "node-1-live";
        // a zero-width space makes "n1" and "n\u200b1" look alike. Soft hyphen and ordinary text stay.
        { "a name with a bidirectional override", ["+node-1-\u202elive\u202c"], @"1 added (kubernetes.node node-1-\u202elive\u202c)" },
        { "a name with zero-width characters", ["+n\u200b1\ufeff", "n\u2066x\u2069:Ready>NotReady"], @"1 added (kubernetes.node n\u200b1\ufeff), 1 changed state (n\u2066x\u2069 NotReady)" },
        { "a name with tag characters (hidden text)", ["+n1\U000e0068\U000e0069"], @"1 added (kubernetes.node n1\U000e0068\U000e0069)" },
        { "accents, CJK and emoji stay", ["+nœud-é-节点-🚀"], "1 added (kubernetes.node nœud-é-节点-🚀)" },
        { "a name with a line break", ["+n1\n2026-11-29 12:00:00.000 1 ERROR forged", "n2\r:Ready>NotReady"], @"1 added (kubernetes.node n1\n2026-11-29 12:00:00.000 1 ERROR forged), 1 changed state (n2\r NotReady)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToString_Changes_SaysEveryChangeOnce(string name, string[] changes, string expected)
    {
        var summary = new ChangeSummary();
        foreach (var change in changes)
        {
            summary.Add(Parse(change));
        }

        summary.ToString().ShouldBe(expected, name);
        summary.IsEmpty.ShouldBe(changes.Length == 0, name);
    }

    private static GraphChange Parse(string change) => change[0] switch
    {
        '+' => new GraphChange(GraphChangeKind.Added, change[1..], "kubernetes.node", change[1..], "Ready", null, "kubernetes"),
        '-' => new GraphChange(GraphChangeKind.Deleted, change[1..], "kubernetes.node", change[1..], null, "Ready", "kubernetes"),
        _ => StateChange(change),
    };

    private static GraphChange StateChange(string change)
    {
        var (key, states) = (change[..change.IndexOf(':', StringComparison.Ordinal)], change[(change.IndexOf(':', StringComparison.Ordinal) + 1)..].Split('>'));
        return new GraphChange(GraphChangeKind.StateChanged, key, "kubernetes.node", key, states[1], states[0], "kubernetes");
    }
}
