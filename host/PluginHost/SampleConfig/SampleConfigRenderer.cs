using System.Text;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Plugins;
using Scriban;
using Scriban.Runtime;

namespace PluginHost.SampleConfig;

/// <summary>Renders the commented sample config from declared options with the embedded template.</summary>
internal static class SampleConfigRenderer
{
    private const int HelpWidth = 76;

    private static readonly Lazy<Template> EmbeddedTemplate = new(() =>
    {
        using var stream = typeof(SampleConfigRenderer).Assembly
            .GetManifestResourceStream("PluginHost.SampleConfig.vitrage.conf.scriban")
            ?? throw new InvalidOperationException("the sample config template is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var template = Template.Parse(reader.ReadToEnd());
        return template.HasErrors
            ? throw new InvalidOperationException("sample config template: " + string.Join("; ", template.Messages))
            : template;
    });

    /// <summary>The host's sections followed by one section per plugin, plugins in name order.</summary>
    public static string Render(IEnumerable<LoadedPlugin> plugins)
    {
        var sections = new List<ScriptObject>
        {
            Section(NotificationOptionCatalog.DefaultSection, "OpenStack's common section: only the options PluginHost reads are listed.",
                HostConfigurationLoader.DefaultSectionOptions),
            Section(HostOptionCatalog.DatasourcesSection, "Which datasources run, where plugins are found, how often they are polled.",
                HostOptionCatalog.Datasources),
            Section(HostOptionCatalog.PluginHostSection, "Options of the host itself: outputs, queue, retries, logging.",
                HostOptionCatalog.PluginHost),
            Section(DatabaseOptionCatalog.DatabaseSection,
                "oslo.db's section: where the alarm history is kept (SQLite). Its other options are ignored.",
                DatabaseOptionCatalog.Database),
            Section(DatabaseOptionCatalog.EntityGraphSection,
                "Vitrage's entity graph section: only the option PluginHost reads is listed.",
                DatabaseOptionCatalog.EntityGraph),
            Section(ApiOptionCatalog.ApiSection, "The REST API: Vitrage's v1 routes, which the vitrage client reads.",
                ApiOptionCatalog.Api),
            Section(ApiOptionCatalog.KeystoneSection,
                "keystonemiddleware's section: what [api] auth_mode = keystone needs to validate tokens. Its other options are ignored.",
                ApiOptionCatalog.Keystone),
            Section(NotificationOptionCatalog.NotificationsSection, "oslo.messaging notifications: publishing datasource events to RabbitMQ.",
                NotificationOptionCatalog.Notifications),
            Section(NotificationOptionCatalog.RabbitSection, "oslo.messaging's RabbitMQ driver: only the options PluginHost reads are listed.",
                NotificationOptionCatalog.Rabbit),
        };
        sections.AddRange(plugins.OrderBy(p => p.Name, StringComparer.Ordinal).Select(PluginSection));
        return RenderSections(sections);
    }

    /// <summary>One plugin's section alone (the plugin's <c>sample.conf</c>).</summary>
    public static string RenderPlugin(LoadedPlugin plugin) => RenderSections([PluginSection(plugin)]);

    private static ScriptObject PluginSection(LoadedPlugin plugin) =>
        Section(plugin.Name, $"The {plugin.Name} datasource (plugin {Path.GetFileName(plugin.Folder)} {plugin.Version}).",
            HostOptionCatalog.DatasourceOptions(plugin.Instance, 600), relativePaths: true);

    private static string RenderSections(List<ScriptObject> sections)
    {
        var model = new ScriptObject { ["sections"] = sections };
        var context = new TemplateContext { StrictVariables = true, NewLine = "\n" };
        context.PushGlobal(model);
        return EmbeddedTemplate.Value.Render(context);
    }

    // relativePaths: the section's path options are resolved against their config file (SectionBinder).
    private static ScriptObject Section(string name, string description, IEnumerable<OptionDefinition> options, bool relativePaths = false) => new()
    {
        ["name"] = name,
        ["description"] = Wrap(description),
        ["options"] = options.Select(o => new ScriptObject
        {
            ["name"] = o.Name,
            ["type"] = OptionValueParser.Describe(o)
                + (relativePaths && o.Type == OptionType.Path ? ", relative to the folder of the config file setting it" : string.Empty),
            ["default"] = o.Default ?? string.Empty,
            ["help"] = Wrap(o.Help),
            ["secret"] = o.Secret,
        }).ToList(),
    };

    private static List<string> Wrap(string text)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > HelpWidth)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
    }
}
