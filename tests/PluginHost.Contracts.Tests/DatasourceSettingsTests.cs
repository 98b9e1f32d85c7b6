namespace PluginHost.Contracts.Tests;

public sealed class DatasourceSettingsTests
{
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
        _settings.GetInt("page_size").ShouldBe(500);
        _settings.GetSeconds("request_timeout").ShouldBe(TimeSpan.FromSeconds(30));
        _settings.GetBool("include_annotations").ShouldBeTrue();
        _settings.GetFloat("ratio").ShouldBe(0.5);
        _settings.GetList("types").ShouldBe(["a", "b"]);
        _settings.GetString("context").ShouldBe(string.Empty);
    }

    [Fact]
    public void Get_UndeclaredOption_NamesIt()
    {
        Should.Throw<KeyNotFoundException>(() => _settings.GetString("nope")).Message.ShouldBe("option 'nope' is not declared for this datasource");
    }

    [Fact]
    public void Get_WrongType_SaysWhatItHolds()
    {
        Should.Throw<InvalidCastException>(() => _settings.GetBool("page_size")).Message.ShouldBe("option 'page_size' holds Int64, not Boolean");
    }

    [Fact]
    public void OptionDefinition_Factories_DeclareTypeDefaultAndBounds()
    {
        var option = OptionDefinition.Int("page_size", 500, "help", min: 1, max: 10000);
        option.Type.ShouldBe(OptionType.Int);
        option.Default.ShouldBe("500");
        option.Min.ShouldBe(1);
        option.Max.ShouldBe(10000);
        OptionDefinition.Bool("b", true, "h").Default.ShouldBe("true");
        OptionDefinition.String("password", "", "h", secret: true).Secret.ShouldBeTrue();
        OptionDefinition.Enum("e", "none", ["none", "pull"], "h").Choices.ShouldBe(["none", "pull"]);
    }
}
