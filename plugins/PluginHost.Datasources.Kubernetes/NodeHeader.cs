using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// What the driver itself needs of a raw node — its identity and version, and what links the
/// cluster to the node's cloud instance — read in the pass that already tokenizes the node (the
/// page scan, or one pass over a watched object), so the node is not read again until a
/// transformer needs it. A field absent, not a string, or not decodable is null.
/// </summary>
internal readonly record struct NodeHeader(string? Uid, string? Name, string? ResourceVersion, string? ProviderId, string? ExternalId, string? SystemUuid)
{
    /// <summary>The header of one raw node (a JSON object; anything else gives an empty header).</summary>
    public static NodeHeader Read(ReadOnlySpan<byte> node)
    {
        var reader = new Utf8JsonReader(node);
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject ? Read(ref reader) : default;
        }
        catch (JsonException)
        {
            return default; // not JSON: nothing is known of it, so the screen skips it as a node without uid
        }
    }

    /// <summary>
    /// Reads the node object <paramref name="reader"/> stands on (its <see cref="JsonTokenType.StartObject"/>)
    /// and leaves the reader on its <see cref="JsonTokenType.EndObject"/>, as <see cref="Utf8JsonReader.Skip"/> would.
    /// </summary>
    public static NodeHeader Read(ref Utf8JsonReader reader)
    {
        string? uid = null, name = null, resourceVersion = null, providerId = null, externalId = null, systemUuid = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = reader.ValueTextEquals("metadata"u8) ? Member.Metadata
                : reader.ValueTextEquals("spec"u8) ? Member.Spec
                : reader.ValueTextEquals("status"u8) ? Member.Status
                : Member.Other;

            // A repeated member replaces the earlier one, as the transformer reads it
            // (NodeFieldsReader, as JsonElement's lookup, takes the last of duplicate names), so forget what it gave.
            switch (member)
            {
                case Member.Metadata:
                    uid = name = resourceVersion = null;
                    break;
                case Member.Spec:
                    providerId = externalId = null;
                    break;
                case Member.Status:
                    systemUuid = null;
                    break;
            }

            if (!EnterObject(ref reader, member != Member.Other))
            {
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                switch (member)
                {
                    case Member.Metadata when reader.ValueTextEquals("uid"u8):
                        uid = Text(ref reader);
                        break;
                    case Member.Metadata when reader.ValueTextEquals("name"u8):
                        name = Text(ref reader);
                        break;
                    case Member.Metadata when reader.ValueTextEquals("resourceVersion"u8):
                        resourceVersion = Text(ref reader);
                        break;
                    case Member.Spec when reader.ValueTextEquals("providerID"u8):
                        providerId = Text(ref reader);
                        break;
                    case Member.Spec when reader.ValueTextEquals("externalID"u8):
                        externalId = Text(ref reader);
                        break;
                    case Member.Status when reader.ValueTextEquals("nodeInfo"u8):
                        systemUuid = null; // a repeated nodeInfo replaces the earlier one
                        if (EnterObject(ref reader, enter: true))
                        {
                            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                            {
                                if (reader.ValueTextEquals("systemUUID"u8))
                                {
                                    systemUuid = Text(ref reader);
                                }
                                else
                                {
                                    EnterObject(ref reader, enter: false);
                                }
                            }
                        }

                        break;
                    default:
                        EnterObject(ref reader, enter: false);
                        break;
                }
            }
        }

        return new NodeHeader(uid, name, resourceVersion, providerId, externalId, systemUuid);
    }

    private enum Member
    {
        Other,
        Metadata,
        Spec,
        Status,
    }

    // On a property name: moves to its value. True when the value is an object and enter is set
    // (the caller then reads its members up to its EndObject); otherwise the value is skipped and
    // the reader stays on its last token.
    private static bool EnterObject(ref Utf8JsonReader reader, bool enter)
    {
        reader.Read();
        if (enter && reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    private static string? Text(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null; // invalid UTF-8 or a lone surrogate escape: the node is screened out later
        }
    }
}
