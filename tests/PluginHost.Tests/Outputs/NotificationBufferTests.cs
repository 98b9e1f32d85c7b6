using PluginHost.Outputs.Notifications;

namespace PluginHost.Tests.Outputs;

/// <summary>
/// While RabbitMQ is away the buffer fills; then whole snapshots are dropped, oldest first, never a
/// part of one (markers included), so a consumer never deletes on a partial snapshot.
/// </summary>
public sealed class NotificationBufferTests
{
    private static OutgoingNotification N(string id) => new(id, "event", []);

    private static async Task<List<string>> DrainAsync(NotificationBuffer buffer)
    {
        var sent = new List<string>();
        buffer.Complete();
        while (await buffer.PeekAsync(TestContext.Current.CancellationToken) is { } next)
        {
            sent.Add(next.MessageId);
            buffer.Remove(next);
        }

        return sent;
    }

    /// <summary>Each case: steps on a buffer of capacity 4, what the broker gets, units dropped.</summary>
    private static readonly Dictionary<string, (Action<NotificationBuffer> Steps, string[] Sent, long DroppedUnits)> Cases = new()
    {
        ["room for everything: nothing dropped"] = (b =>
        {
            b.AddSnapshotStart("k", N("s1"));
            b.Add("k", N("e1"));
            b.AddSnapshotEnd("k", N("end1"));
        }, ["s1", "e1", "end1"], 0),
        ["a full buffer drops the oldest whole snapshot"] = (b =>
        {
            b.AddSnapshotStart("k", N("s1"));
            b.Add("k", N("e1"));
            b.AddSnapshotEnd("k", N("end1"));
            b.AddSnapshotStart("k", N("s2"));
            b.Add("k", N("e2"));
            b.AddSnapshotEnd("k", N("end2"));
        }, ["s2", "e2", "end2"], 1),
        ["a snapshot larger than the buffer is dropped whole, its end marker too"] = (b =>
        {
            b.AddSnapshotStart("k", N("s1"));
            foreach (var i in Enumerable.Range(1, 5))
            {
                b.Add("k", N($"e{i}"));
            }

            b.AddSnapshotEnd("k", N("end1"));
            b.Add("k", N("change-after"));
        }, ["change-after"], 1),
        ["another datasource's snapshot in between is its own unit"] = (b =>
        {
            b.AddSnapshotStart("a", N("a-start"));
            b.AddSnapshotStart("b", N("b-start"));
            b.Add("a", N("a1"));
            b.Add("b", N("b1"));
            b.AddSnapshotEnd("b", N("b-end"));
            b.AddSnapshotEnd("a", N("a-end"));
        }, ["b-start", "b1", "b-end"], 1),
        ["changes outside snapshots are dropped one by one, oldest first"] = (b =>
        {
            foreach (var i in Enumerable.Range(1, 6))
            {
                b.Add("k", N($"c{i}"));
            }
        }, ["c3", "c4", "c5", "c6"], 2),
        ["a failed snapshot sends no end marker and the next one is whole"] = (b =>
        {
            b.AddSnapshotStart("k", N("s1"));
            b.Add("k", N("e1"));
            b.AbandonSnapshot("k");
            b.AddSnapshotStart("k", N("s2"));
            b.AddSnapshotEnd("k", N("end2"));
        }, ["s1", "e1", "s2", "end2"], 0),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Add_BufferOfFour_KeepsWholeSnapshots(string name)
    {
        var (steps, sent, dropped) = Cases[name];
        var buffer = new NotificationBuffer(capacity: 4);

        steps(buffer);

        (await DrainAsync(buffer)).ToArray().ShouldBe(sent, name);
        buffer.DroppedUnits.ShouldBe(dropped, name);
    }

    [Fact]
    public async Task Remove_NotificationDroppedWhileBeingSent_LeavesTheOthers()
    {
        var buffer = new NotificationBuffer(capacity: 2);
        buffer.Add("k", N("c1"));
        var inFlight = (await buffer.PeekAsync(TestContext.Current.CancellationToken))!;
        buffer.Add("k", N("c2"));
        buffer.Add("k", N("c3")); // drops c1 while the sender holds it

        buffer.Remove(inFlight);

        (await DrainAsync(buffer)).ShouldBe(["c2", "c3"]);
    }
}
