using PluginHost.Configuration;

namespace PluginHost.Tests.Configuration;

// The rules are oslo.config's (oslo_config/iniparser.py); each row is what Vitrage read from the
// same text.
public sealed class OsloIniParserTests
{
    private const string File = "/etc/vitrage/vitrage.conf";

    // case, text, the assignments as "section|key|value@line" (values' line breaks as \n)
    public static TheoryData<string, string, string[]> Texts => new()
    {
        { "key = value", "[s]\nk = v\n", ["s|k|v@2"] },
        { "key: value", "[s]\nk: v\n", ["s|k|v@2"] },
        { "'=' before ':' splits at '='", "[s]\nurl = http://h:1/x\n", ["s|url|http://h:1/x@2"] },
        { "':' before '=' splits at ':'", "[s]\nk: a=b\n", ["s|k|a=b@2"] },
        { "no spaces", "[s]\nk=v\n", ["s|k|v@2"] },
        { "empty value", "[s]\nk =\n", ["s|k|@2"] },
        { "continuation lines, spaces and a tab", "[s]\ntypes = a,\n    b,\n\tc\nn = 1\n", ["s|types|a,\nb,\nc@2", "s|n|1@5"] },
        { "continuation after an empty value", "[s]\ntypes =\n  a,\n  b\n", ["s|types|\na,\nb@2"] },
        { "a blank line ends the value", "[s]\nk = a\n\nj = b\n", ["s|k|a@2", "s|j|b@4"] },
        { "a comment ends the value", "[s]\nk = a\n# c\nj = b\n", ["s|k|a@2", "s|j|b@4"] },
        { "an indented comment continues it (as in oslo)", "[s]\nk = a\n  # c\n", ["s|k|a\n# c@2"] },
        { "double quotes", "[s]\nk = \"a b\"\n", ["s|k|a b@2"] },
        { "single quotes", "[s]\nk = 'a b'\n", ["s|k|a b@2"] },
        { "unmatched quotes stay", "[s]\nk = 'a\"\n", ["s|k|'a\"@2"] },
        { "a lone quote is empty (as in oslo)", "[s]\nk = \"\n", ["s|k|@2"] },
        { "quotes only off the first line", "[s]\nk = \"a\"\n  \"b\"\n", ["s|k|a\n\"b\"@2"] },
        { "comments", "# a\n; b\n[s]\n#k = 1\n;j = 2\n", [] },
        { "CRLF and trailing spaces", "[s] \r\nk = v  \r\n", ["s|k|v@2"] },
        { "section name trimmed", "[ s ]\nk = v\n", ["s|k|v@2"] },
        { "repeats kept in order", "[s]\nk = 1\nk = 2\n", ["s|k|1@2", "s|k|2@3"] },
        { "a no-break space before '#' is no comment (as in oslo)", "[s]\n\u00a0# c = 1\n", ["s|# c|1@2"] },
        { "information separators are white space (as in oslo)", "[s]\u001f\n\u001fk = 'v'\u001f\n", ["s|k|v@2"] },
        { "password with both separators", "[s]\npassword = p:a=ss\n", ["s|password|p:a=ss@2"] },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Parse_OsloText_GivesWhatOsloConfigReads(string name, string text, string[] expected)
    {
        var assignments = OsloIniParser.Parse(File, text);

        assignments.Select(a => $"{a.Section}|{a.Key}|{a.Value}@{a.Location.Line}").ShouldBe(expected, name);
        assignments.ShouldAllBe(a => a.Location.File == File, name);
    }

    // case, text, the error after "file:line: "; every text holds a secret that must not be shown
    public static TheoryData<string, string, string> Errors => new()
    {
        { "indented line under a section", "[s]\n  S3cr3t = x\n", "2: this line is indented, and oslo.config reads an indented line as the continuation of the value on the line above, but no 'key = value' is right above it; remove the indentation" },
        { "indented line after a comment", "[s]\nk = 1\n# c\n  S3cr3t\n", "4: this line is indented" },
        { "indented first line", "  S3cr3t\n", "1: this line is indented" },
        { "no separator", "[s]\nS3cr3t\n", "2: this line in [s] is not 'key = value', a [section] or a comment (its text is not shown: it may hold a secret)" },
        { "no key", "[s]\n= S3cr3t\n", "2: this line in [s] has a value but no key before its '='" },
        { "no key before ':'", "[s]\n: S3cr3t\n", "2: this line in [s] has a value but no key before its ':'" },
        { "section without ']'", "[s\nk = S3cr3t\n", "1: this [section] line has no closing ']'" },
        { "section without a name", "[ ]\nk = S3cr3t\n", "1: this [section] line has no name between its brackets" },
        { "a form feed before a section is no section (as in oslo)", "\f[S3cr3t]\n", "1: this line is not 'key = value', a [section] or a comment" },
        { "an information separator is white space, no key (as in oslo)", "[s]\n\u001f= S3cr3t\n", "2: this line in [s] has a value but no key before its '='" },
        { "a section name with a control character", "[s\u001b[2J]\nS3cr3t\n", "2: this line in [s\\u001b[2J] is not 'key = value'" },
        { "key before any section", "k = S3cr3t\n", "1: key 'k' appears before any [section]; put it under [DEFAULT] or its datasource's section" },
        { "secret key before any section", "S3cr3t x = y\n", "1: a key (its text is not shown: it may hold a secret) appears before any [section]" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Parse_TextOsloRefuses_ErrorNamesFileAndLineAndHidesTheLine(string name, string text, string error)
    {
        var thrown = Should.Throw<ConfigException>(() => OsloIniParser.Parse(File, text), name);

        thrown.Message.ShouldStartWith($"{File}:{error}", customMessage: name);
        thrown.Message.ShouldNotContain("S3cr3t", customMessage: name);
    }
}
