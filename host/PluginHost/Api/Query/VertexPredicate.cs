using System.Text.Json;
using PluginHost.Graph;

namespace PluginHost.Api.Query;

/// <summary>A compiled query: whether a vertex matches (vitrage/graph/query.py's predicate).</summary>
internal abstract class VertexPredicate
{
    public abstract bool Matches(VertexView vertex);

    /// <summary>An empty <c>and</c>/<c>or</c> list or comparison object: Vitrage matches nothing then.</summary>
    public static VertexPredicate Never { get; } = new NeverPredicate();

    private sealed class NeverPredicate : VertexPredicate
    {
        public override bool Matches(VertexView vertex) => false;
    }
}

internal sealed class AndPredicate(IReadOnlyList<VertexPredicate> terms) : VertexPredicate
{
    public IReadOnlyList<VertexPredicate> Terms => terms;

    public override bool Matches(VertexView vertex)
    {
        foreach (var term in terms)
        {
            if (!term.Matches(vertex))
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class OrPredicate(IReadOnlyList<VertexPredicate> terms) : VertexPredicate
{
    public override bool Matches(VertexView vertex)
    {
        foreach (var term in terms)
        {
            if (term.Matches(vertex))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary><c>{"op": {"property": literal}}</c>: the vertex's property (absent = null) against the literal.</summary>
internal sealed class ComparisonPredicate(ComparisonOperator op, string property, JsonElement literal) : VertexPredicate
{
    // Boxed once: the comparer takes both sides as objects.
    private readonly object _literal = literal;

    public ComparisonOperator Operator => op;

    public string Property => property;

    public JsonElement Literal => literal;

    public override bool Matches(VertexView vertex)
    {
        var actual = VertexPropertyReader.Get(vertex, property);
        return op switch
        {
            ComparisonOperator.Equal => PythonValues.AreEqual(actual, _literal),
            ComparisonOperator.NotEqual => !PythonValues.AreEqual(actual, _literal),
            _ => PythonValues.Compare(actual, _literal) is { } order && op switch
            {
                ComparisonOperator.Less => order < 0,
                ComparisonOperator.LessOrEqual => order <= 0,
                ComparisonOperator.Greater => order > 0,
                _ => order >= 0,
            },
        };
    }
}

internal enum ComparisonOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
