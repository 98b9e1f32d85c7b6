using PluginHost.Configuration;

namespace PluginHost.Tests.Configuration;

public sealed class ContinuationLinesTests
{
    // case, a value with its continuation lines, whether one reads as an option (and which).
    [Theory]
    [InlineData("name = value", "echo,\npassword = S3cr3t", true, 1)]
    [InlineData("name: value", "echo,\npassword: S3cr3t", true, 1)]
    [InlineData("name: at the end", "echo,\npassword:", true, 1)]
    [InlineData("a tab before =", "echo,\nkey\t= v", true, 1)]
    [InlineData("an underscore first", "echo,\n_key=1", true, 1)]
    [InlineData("the second continuation line", "echo,\nstatic,\ndebug = true", true, 2)]
    [InlineData("a secret's name: right before its value", "echo,\npassword:S3cr3t", true, 1)]
    [InlineData("a token's name: right before its value", "echo,\nadmin_token:abc", true, 1)]
    [InlineData("a broker's user:password", "rabbit://u:p@h1:5672,\nu:p@h2:5672/", false, 0)]
    [InlineData("an EKS context", "ctx,\narn:aws:eks:eu-west-1:1:cluster/x", false, 0)]
    [InlineData("a query wrapped after ?", "rabbit://u:p@h1:5672/?\nssl=true", false, 0)]
    [InlineData("a query wrapped after &", "rabbit://u:p@h1:5672/?ssl=true&\nheartbeat=60", false, 0)]
    [InlineData("a digit first", "echo,\n9x = 1", false, 0)]
    [InlineData("a list item", "echo,\nstatic", false, 0)]
    [InlineData("the first line is no continuation", "password = S3cr3t", false, 0)]
    public void ContinuesWithAnOption_ContinuationLines_FindsAnOptionIndentedByMistake(string name, string text, bool expected, int line)
    {
        ContinuationLines.ContinuesWithAnOption(text, out var index).ShouldBe(expected, name);
        index.ShouldBe(line, name);
    }
}
