using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>The tolerant reader of a raw node's lists: only the items of one kind, in order, and never a throw.</summary>
public sealed class JsonItemsOfKindTests
{
    public static TheoryData<string, string, JsonValueKind, string[]> Lists => new()
    {
        { "no array: an object", """{"a":1}""", JsonValueKind.Object, [] },
        { "no array: a string", "\"x\"", JsonValueKind.String, [] },
        { "an empty array", "[]", JsonValueKind.Object, [] },
        { "objects among other kinds, in order", """[1,{"a":1},"s",{"b":2},null]""", JsonValueKind.Object, ["""{"a":1}""", """{"b":2}"""] },
        { "strings among other kinds", """["10.0.0.0/24",1,"fd00::/64"]""", JsonValueKind.String, ["\"10.0.0.0/24\"", "\"fd00::/64\""] },
        { "none of the kind", "[1,2]", JsonValueKind.String, [] },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void Items_AList_GivesOnlyItemsOfTheKindInOrder(string name, string json, JsonValueKind kind, string[] expected)
    {
        var items = KubernetesNodeProperties.Items(JsonElement.Parse(json), kind);

        items.Any().ShouldBe(expected.Length > 0, name);
        var read = new List<string>();
        foreach (var item in items)
        {
            read.Add(item.GetRawText());
        }

        read.ToArray().ShouldBe(expected, name); // Any() did not move the enumerator
    }

    [Fact]
    public void Items_AnUndefinedElement_GivesNone()
    {
        var items = KubernetesNodeProperties.Items(default, JsonValueKind.Object);

        items.Any().ShouldBeFalse();
        items.MoveNext().ShouldBeFalse();
    }
}
