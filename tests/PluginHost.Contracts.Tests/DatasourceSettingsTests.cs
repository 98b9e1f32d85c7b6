namespace PluginHost.Contracts.Tests;

public sealed class DatasourceSettingsTests
{
    private static readonly OptionDefinition<int> PageSize = OptionDefinition.Int("page_size", 500, "help", min: 1, max: 10000);
    private static readonly OptionDefinition<TimeSpan> RequestTimeout = OptionDefinition.Seconds("request_timeout", 60, "help");
    private static readonly OptionDefinition<bool> IncludeAnnotations = OptionDefinition.Bool("include_annotations", false, "help");
    private static readonly OptionDefinition<double> Ratio = OptionDefinition.Float("ratio", 1, "help");
    private static readonly OptionDefinition<IReadOnlyList<string>> Types = OptionDefinition.List("types", "", "help");
    private static readonly OptionDefinition<string> Context = OptionDefinition.String("context", "", "help");

    private readonly DatasourceSettings _settings = new(new Dictionary<string, object?>
    {
        ["page_size"] = 500L,
        ["request_timeout"] = 30L,
        ["include_annotations"] = true,
        ["ratio"] = 0.5,
        ["types"] = new[] { "a", "b" },
        ["context"] = null,
    });

    [Fact]
    public void Get_DeclaredOptions_ReturnTypedValues()
    {
        _settings.Get(PageSize).ShouldBe(500);
        _settings.Get(RequestTimeout).ShouldBe(TimeSpan.FromSeconds(30));
        _settings.Get(IncludeAnnotations).ShouldBeTrue();
        _settings.Get(Ratio).ShouldBe(0.5);
        _settings.Get(Types).ShouldBe(["a", "b"]);
        _settings.Get(Context).ShouldBe(string.Empty);
    }

    [Fact]
    public void Get_UndeclaredOption_NamesIt()
    {
        Should.Throw<KeyNotFoundException>(() => _settings.Get(OptionDefinition.String("nope", "", "h")))
            .Message.ShouldBe("option 'nope' is not declared for this datasource");
    }

    [Fact]
    public void Get_WrongType_SaysWhatItHolds()
    {
        Should.Throw<InvalidCastException>(() => _settings.Get(OptionDefinition.Bool("page_size", false, "h")))
            .Message.ShouldBe("option 'page_size' holds Int64, not Boolean");
    }

    [Fact]
    public void OptionDefinition_Factories_DeclareTypeDefaultAndBounds()
    {
        PageSize.Type.ShouldBe(OptionType.Int);
        PageSize.Default.ShouldBe("500");
        PageSize.Min.ShouldBe(1);
        PageSize.Max.ShouldBe(10000);
        RequestTimeout.Type.ShouldBe(OptionType.Int);
        OptionDefinition.Bool("b", true, "h").Default.ShouldBe("true");
        OptionDefinition.String("password", "", "h", secret: true).Secret.ShouldBeTrue();
        OptionDefinition.Enum("e", "none", ["none", "pull"], "h").Choices.ShouldBe(["none", "pull"]);
        OptionDefinition.Path("p", "", "h").Type.ShouldBe(OptionType.Path);
    }
}
