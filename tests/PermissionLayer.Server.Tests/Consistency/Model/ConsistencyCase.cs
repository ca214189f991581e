namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>
/// A generated case: a graph, the tokens asked with, the instants the decision clock is set to, and the
/// changes made between the first round of questions (on <see cref="Graph"/>) and the second (on <see cref="GraphAfter"/>).
/// </summary>
internal sealed record ConsistencyCase(
    int Seed, EntitlementGraph Graph, IReadOnlyList<TokenSpec> Tokens, IReadOnlyList<DateTimeOffset> Instants, IReadOnlyList<Mutation> Mutations)
{
    public EntitlementGraph GraphAfter => Mutations.Aggregate(Graph, (graph, mutation) => mutation.Apply(graph));
}
