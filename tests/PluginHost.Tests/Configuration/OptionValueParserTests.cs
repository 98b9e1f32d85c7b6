using PluginHost.Configuration;
using PluginHost.Contracts;

namespace PluginHost.Tests.Configuration;

public sealed class OptionValueParserTests
{
    public static TheoryData<string, OptionDefinition, string, object?> ValidValues => new()
    {
        { "string kept as written", OptionDefinition.String("s", "", "h"), " a b ", " a b " },
        { "int", OptionDefinition.Int("i", 1, "h", min: 1, max: 10), "7", 7L },
        { "int at min", OptionDefinition.Int("i", 1, "h", min: 1, max: 10), "1", 1L },
        { "int at max", OptionDefinition.Int("i", 1, "h", min: 1, max: 10), "10", 10L },
        { "negative int", OptionDefinition.Int("i", 1, "h"), "-3", -3L },
        { "float", OptionDefinition.Float("f", 1, "h", min: 0, max: 1), "0.25", 0.25 },
        { "bool true", OptionDefinition.Bool("b", false, "h"), "true", true },
        { "bool Yes", OptionDefinition.Bool("b", false, "h"), "Yes", true },
        { "bool on", OptionDefinition.Bool("b", false, "h"), "on", true },
        { "bool 1", OptionDefinition.Bool("b", false, "h"), "1", true },
        { "bool FALSE", OptionDefinition.Bool("b", true, "h"), "FALSE", false },
        { "bool no", OptionDefinition.Bool("b", true, "h"), "no", false },
        { "bool off", OptionDefinition.Bool("b", true, "h"), "off", false },
        { "bool 0", OptionDefinition.Bool("b", true, "h"), "0", false },
        { "enum any case", OptionDefinition.Enum("e", "pull", ["none", "pull"], "h"), "PULL", "pull" },
        { "path without tilde", OptionDefinition.Path("p", "", "h"), "/etc/x", "/etc/x" },
    };

    [Theory]
    [MemberData(nameof(ValidValues))]
    public void TryParse_ValidValue_ReturnsTypedValue(string name, OptionDefinition option, string text, object? expected)
    {
        OptionValueParser.TryParse(option, text, out var value, out _).ShouldBeTrue(name);
        value.ShouldBe(expected, name);
    }

    public static TheoryData<string, OptionDefinition, string, string> InvalidValues => new()
    {
        { "int word", OptionDefinition.Int("i", 1, "h"), "ten", "an integer" },
        { "int below min", OptionDefinition.Int("i", 10, "h", min: 10), "9", "an integer of at least 10" },
        { "int above max", OptionDefinition.Int("i", 1, "h", min: 1, max: 5), "6", "an integer from 1 to 5" },
        { "int with fraction", OptionDefinition.Int("i", 1, "h"), "1.5", "an integer" },
        { "float word", OptionDefinition.Float("f", 1, "h"), "abc", "a number" },
        { "bool word", OptionDefinition.Bool("b", false, "h"), "maybe", "a boolean (true/false, yes/no, on/off, 1/0)" },
        { "enum unknown", OptionDefinition.Enum("e", "none", ["none", "pull"], "h"), "poll", "one of none, pull" },

        // Integer options are ints (or seconds made from one): a number past 32 bits used to pass
        // and crash the code that converted it (TimeSpan overflow, a negative (int) default).
        { "int past 32 bits", OptionDefinition.Int("i", 10, "h", min: 10), "3000000000", "an integer from 10 to 2147483647" },
        { "int past 64 bits", OptionDefinition.Int("i", 10, "h", min: 10), "99999999999999999999", "an integer from 10 to 2147483647" },
        { "negative int past 32 bits", OptionDefinition.Int("i", 1, "h"), "-3000000000", "an integer from -2147483648 to 2147483647" },
        { "seconds past 32 bits", OptionDefinition.Seconds("s", 60, "h", min: 1), "9223372036854775807", "an integer from 1 to 2147483647" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void TryParse_InvalidValue_SaysWhatWasExpected(string name, OptionDefinition option, string text, string expected)
    {
        OptionValueParser.TryParse(option, text, out _, out var description).ShouldBeFalse(name);
        description.ShouldBe(expected, name);
    }

    [Fact]
    public void TryParse_List_SplitsTrimsAndDropsEmptyItems()
    {
        OptionValueParser.TryParse(OptionDefinition.List("l", "", "h"), " a, b ,,c ", out var value, out _).ShouldBeTrue();
        value.ShouldBe(new[] { "a", "b", "c" });
    }

    [Fact]
    public void TryParse_PathWithTilde_ExpandsHome()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        OptionValueParser.TryParse(OptionDefinition.Path("p", "", "h"), "~/x/kubeconfig", out var value, out _).ShouldBeTrue();
        value.ShouldBe(Path.Combine(home, "x", "kubeconfig"));
    }
}
