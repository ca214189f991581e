using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>
/// StreamAccessiblePatients read to its end: the ids of all pages and what the first page carried, in
/// the case's local names (sets of another case, which must never appear, are marked so).
/// </summary>
internal sealed record StreamAnswer(
    bool AllPatients, IReadOnlyList<string> PatientIds, IReadOnlyList<string> ExcludedPatientIds, IReadOnlyList<SetUnion> GrantingSets,
    bool Complete, string? Error)
{
    public override string ToString() => Error is not null
        ? $"stream error: {Error}"
        : $"stream: {(AllPatients ? "all patients" : $"[{string.Join(", ", PatientIds)}]")}" +
          $"{(ExcludedPatientIds.Count > 0 ? $" excluded [{string.Join(", ", ExcludedPatientIds)}]" : "")}" +
          $", sets {string.Join(" ∩ ", GrantingSets.Select(u => $"{u.Term}:[{string.Join(", ", u.Sets)}]"))}{(Complete ? "" : " (incomplete)")}";
}
